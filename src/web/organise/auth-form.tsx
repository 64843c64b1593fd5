import { useState } from "preact/hooks";
import { api } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";

/** Sign in, or create an organiser account (participants never need one: they join by invitation). */
export function AuthForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [mode, setMode] = useState<"sign-in" | "sign-up">("sign-in");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const submission = useSubmission(["name", "email", "password"]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([
      ...(mode === "sign-up" ? [{ field: "name", value: name, required: true, max: 200 }] : []),
      { field: "email", value: email, required: true, max: 320 },
      { field: "password", value: password, required: true, max: 128 },
    ]);
    if (!checks.password && mode === "sign-up" && password.length < 10) checks.password = t("errors.password_too_short");
    void submission.run(async () => {
      const body = mode === "sign-up" ? { name: name.trim(), email: email.trim(), password } : { email: email.trim(), password };
      await api.post(`/api/auth/${mode}/email`, body);
      onSignedIn();
    }, checks);
  };
  return (
    <section aria-labelledby="auth-heading">
      <h2 id="auth-heading">{t(`organise.auth.${mode}`)}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        {mode === "sign-up" ? <TextField field="name" label={t("organise.auth.name")} value={name} onInput={setName} required autocomplete="name" error={submission.fieldErrors.name} /> : null}
        <TextField field="email" type="email" label={t("organise.auth.email")} value={email} onInput={setEmail} required autocomplete="email" error={submission.fieldErrors.email} />
        <TextField
          field="password"
          type="password"
          label={t("organise.auth.password")}
          hint={mode === "sign-up" ? t("organise.auth.passwordHint") : undefined}
          value={password}
          onInput={setPassword}
          required
          autocomplete={mode === "sign-up" ? "new-password" : "current-password"}
          error={submission.fieldErrors.password}
        />
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t(`organise.auth.${mode}`)} />
      </form>
      <p>
        <button type="button" class="link-button" onClick={() => setMode(mode === "sign-in" ? "sign-up" : "sign-in")}>
          {t(mode === "sign-in" ? "organise.auth.toSignUp" : "organise.auth.toSignIn")}
        </button>
      </p>
    </section>
  );
}
