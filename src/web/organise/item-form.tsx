import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { Item } from "../lib/types.ts";

/** Items are prompts or scenarios (a setting and the roles in it). */
export function ItemForm({ evaluationId, items, promptLimit, onAdded }: { evaluationId: string; items: readonly Pick<Item, "id" | "title" | "prompt">[]; promptLimit: number; onAdded: () => void }) {
  const [title, setTitle] = useState("");
  const [prompt, setPrompt] = useState("");
  const [setting, setSetting] = useState("");
  const [roles, setRoles] = useState("");
  const submission = useSubmission(["item.title", "prompt"]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([
      { field: "item.title", value: title, max: 300 },
      { field: "prompt", value: prompt, required: true, max: promptLimit },
      { field: "item.setting", value: setting, max: 4000 },
    ]);
    const roleList = roles.split(",").map((r) => r.trim()).filter(Boolean);
    const scenario = setting.trim() || roleList.length ? { ...(setting.trim() ? { setting: setting.trim() } : {}), ...(roleList.length ? { roles: roleList } : {}) } : undefined;
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/items"), { ...(title.trim() ? { title: title.trim() } : {}), prompt, ...(scenario ? { scenario } : {}) });
      setTitle("");
      setPrompt("");
      setSetting("");
      setRoles("");
      onAdded();
    }, checks);
  };
  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">{t("organise.items.title")}</h2>
      {items.length > 0 ? (
        <ol>
          {items.map((i) => (
            <li key={i.id}>{i.title || i.prompt.slice(0, 120)}</li>
          ))}
        </ol>
      ) : (
        <p>{t("organise.items.none")}</p>
      )}
      <form class="stack" noValidate onSubmit={submit}>
        <TextField field="item.title" label={t("organise.items.itemTitle")} value={title} onInput={setTitle} error={submission.fieldErrors["item.title"]} />
        <TextField field="prompt" label={t("organise.items.prompt")} hint={t("organise.items.promptHint")} value={prompt} onInput={setPrompt} multiline required max={promptLimit} error={submission.fieldErrors.prompt} />
        <TextField field="item.setting" label={t("organise.items.setting")} value={setting} onInput={setSetting} multiline error={submission.fieldErrors["item.setting"]} />
        <TextField field="item.roles" label={t("organise.items.roles")} hint={t("organise.items.rolesHint")} value={roles} onInput={setRoles} />
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t("organise.items.add")} />
      </form>
    </section>
  );
}
