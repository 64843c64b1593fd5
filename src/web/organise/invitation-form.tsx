import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { FormStatus, SubmitButton, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { INVITATION_ROLES, type InvitationCreated } from "../lib/types.ts";

/** Creates an invitation link for participants (or observers). */
export function InvitationForm({ evaluationId }: { evaluationId: string }) {
  const [role, setRole] = useState<string>(INVITATION_ROLES[0]);
  const [link, setLink] = useState("");
  const submission = useSubmission();
  const submit = (event: Event) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await api.post<InvitationCreated>(evaluationPath(evaluationId, "/invitations"), { role });
      setLink(`${location.origin}${created.path}`);
    });
  };
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("organise.invite.title")}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="invite-role" label={t("organise.invite.role")} options={INVITATION_ROLES.map((r) => ({ value: r, label: t(`organise.invite.roles.${r}`) }))} value={role} onChange={setRole} />
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t("organise.invite.create")} />
      </form>
      {link ? (
        <p>
          {t("organise.invite.link")} <a href={link}>{link}</a>
        </p>
      ) : null}
    </section>
  );
}
