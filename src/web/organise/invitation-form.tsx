import { useEffect, useState } from "preact/hooks";
import { api, ApiError, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { INVITATION_ROLES, type InvitationCreated, type InvitationList, type InvitationView } from "../lib/types.ts";

function toIso(date: string): string | null {
  return date ? new Date(`${date}T23:59:59`).toISOString() : null;
}

/** Invitation links: create one (finite uses, optional expiry), make personal single-use links in bulk (CSV), list, copy, revoke. */
export function InvitationForm({ evaluationId }: { evaluationId: string }) {
  const [role, setRole] = useState("participant");
  const [maxUses, setMaxUses] = useState("100");
  const [expires, setExpires] = useState("");
  const [count, setCount] = useState("20");
  const [invitations, setInvitations] = useState<InvitationView[]>([]);
  const submission = useSubmission(["maxUses", "expiresAt", "count"]);
  const refresh = () => api.get<InvitationList>(evaluationPath(evaluationId, "/invitations")).then((r) => setInvitations(r.invitations));
  useEffect(() => {
    void refresh().catch(() => setInvitations([]));
  }, [evaluationId]);
  const link = (inv: InvitationView) => `${location.origin}${inv.path}`;

  const [created, setCreated] = useState("");
  const [copied, setCopied] = useState("");
  const copy = (url: string) => {
    setCopied("");
    void navigator.clipboard?.writeText(url).then(() => setCopied(t("journey.invite.copied")), () => setCopied(t("journey.invite.copyFailed")));
  };
  const create = (event: Event) => {
    event.preventDefault();
    setCreated("");
    void submission.run(async () => {
      const made = await api.post<InvitationCreated>(evaluationPath(evaluationId, "/invitations"), { role, maxUses: Number(maxUses) || null, expiresAt: toIso(expires) });
      setCreated(`${location.origin}${made.path}`);
      await refresh();
    });
  };
  const batch = () =>
    void submission.run(async () => {
      const response = await fetch(evaluationPath(evaluationId, "/invitations/batch"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ count: Number(count), role, expiresAt: toIso(expires) }),
      });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string; field?: string };
        throw new ApiError(response.status, problem.code ?? "bad_request", problem.detail ?? response.statusText, problem.field);
      }
      const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/csv" }));
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = "invitations.csv";
      anchor.click();
      URL.revokeObjectURL(url);
      await refresh();
    });
  const revoke = (inv: InvitationView) =>
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, `/invitations/${encodeURIComponent(inv.token)}/revoke`));
      await refresh();
    });

  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("organise.invite.title")}</h2>
      <form class="stack" noValidate onSubmit={create}>
        <SelectField field="invite-role" label={t("organise.invite.role")} options={INVITATION_ROLES.map((r) => ({ value: r, label: t(`organise.invite.roles.${r}`) }))} value={role} onChange={setRole} />
        <TextField field="maxUses" type="number" label={t("organise.invite.maxUses")} hint={t("organise.invite.maxUsesHint")} value={maxUses} onInput={setMaxUses} error={submission.fieldErrors.maxUses} />
        <TextField field="expiresAt" type="date" label={t("organise.invite.expires")} hint={t("organise.invite.expiresHint")} value={expires} onInput={setExpires} error={submission.fieldErrors.expiresAt} />
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t("organise.invite.create")} />
        {created ? (
          <div class="card" id="new-invitation">
            <p>{t("journey.invite.created")}</p>
            <p>
              <code class="hash">{created}</code>
            </p>
            <button type="button" class="secondary" onClick={() => copy(created)}>
              {t("organise.invite.copy")}
            </button>
          </div>
        ) : null}
        <TextField field="count" type="number" label={t("organise.invite.count")} hint={t("organise.invite.countHint")} value={count} onInput={setCount} error={submission.fieldErrors.count} />
        <button type="button" class="secondary" disabled={submission.pending} onClick={batch}>
          {t("organise.invite.batch")}
        </button>
      </form>
      <p class="notice-text" role="status">
        {copied}
      </p>
      {invitations.length > 0 ? (
        <ScrollRegion label={t("organise.invite.listTitle")}>
          <table class="data-table">
            <caption>{t("organise.invite.listTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("organise.invite.link")}</th>
                <th scope="col">{t("organise.invite.role")}</th>
                <th scope="col">{t("organise.invite.usesLeft")}</th>
                <th scope="col">{t("organise.invite.expires")}</th>
                <th scope="col">{t("organise.invite.status")}</th>
                <th scope="col">{t("organise.invite.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((inv) => (
                <tr key={inv.token}>
                  <td>
                    <a href={link(inv)}>{inv.path}</a>
                  </td>
                  <td>{t(`organise.invite.roles.${inv.role}`)}</td>
                  <td>{inv.usesLeft === null ? t("organise.invite.unlimited") : `${inv.usesLeft} / ${inv.maxUses ?? ""}`}</td>
                  <td>{inv.expiresAt ? new Date(inv.expiresAt).toLocaleDateString() : t("organise.invite.never")}</td>
                  <td>{t(`organise.invite.statuses.${inv.status === "unknown" ? "revoked" : inv.status}`)}</td>
                  <td>
                    <button type="button" class="secondary" onClick={() => copy(link(inv))}>
                      {t("organise.invite.copy")}
                    </button>
                    {inv.status === "active" ? (
                      <button type="button" class="secondary" onClick={() => revoke(inv)}>
                        {t("organise.invite.revoke")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}
