import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatDate } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { BALLOT_CHOICES, type BallotChoice, type Proposal, type ProposalKind, type ProposalList } from "../lib/types.ts";

/** The kinds a participant can propose here, in the order offered (amending the charter needs the charter form). */
const KINDS = ["custom", "withhold_data", "end_withholding", "adopt_rule", "release_data"] as const satisfies readonly ProposalKind[];

/** Proposals decided under the charter's rule; a passed proposal is carried out by the platform. */
export function Proposals({ evaluationId, participant }: { evaluationId: string; participant: boolean }) {
  const list = useLoad(() => api.get<ProposalList>(evaluationPath(evaluationId, "/proposals")), [evaluationId]);
  return (
    <section aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">{t("govern.proposals")}</h2>
      <Async state={list}>
        {({ proposals, withholding }) => (
          <>
            {withholding.active ? <p class="warning">{t("govern.withholding")}</p> : null}
            {proposals.length === 0 ? <p>{t("govern.noProposals")}</p> : null}
            <ul class="plain-list">
              {proposals.map((p) => (
                <li key={p.id} class="card">
                  <h3 dir="auto">{p.title}</h3>
                  {p.description ? <p dir="auto">{p.description}</p> : null}
                  <p class="muted">{t("govern.proposalLine", { kind: t(`govern.kinds.${p.kind}`), status: t(`govern.statuses.${p.status}`, { defaultValue: p.status }), deadline: formatDate(p.deadline) })}</p>
                  {participant && p.status === "open" ? <Ballot evaluationId={evaluationId} proposal={p} /> : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </Async>
      {participant ? <NewProposal evaluationId={evaluationId} onDone={list.reload} /> : null}
    </section>
  );
}

function Ballot({ evaluationId, proposal }: { evaluationId: string; proposal: Proposal }) {
  const [choice, setChoice] = useState<BallotChoice>("yes");
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");
  const field = `ballot-${proposal.id}`;
  const submission = useSubmission([field]);
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    void submission.run(async () => {
      await api.put(evaluationPath(evaluationId, `/proposals/${proposal.id}/ballot`), { choice, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setNotice(t("govern.ballotCast"));
    }, checkFields([{ field, value: reason, required: choice === "object", max: 4000 }]));
  };
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <fieldset>
        <legend>{t("govern.yourBallot", { title: proposal.title })}</legend>
        {BALLOT_CHOICES.map((c) => (
          <label key={c} class="choice">
            <input type="radio" name={`choice-${proposal.id}`} value={c} checked={choice === c} onChange={() => setChoice(c)} />
            {t(`govern.choices.${c}`)}
          </label>
        ))}
      </fieldset>
      <TextField field={field} label={t("govern.ballotReason")} hint={t("govern.ballotReasonHint")} value={reason} onInput={setReason} multiline error={submission.fieldErrors[field]} />
      <FormStatus error={submission.formError} notice={notice} />
      <SubmitButton pending={submission.pending} label={t("govern.castBallot")} />
    </form>
  );
}

function NewProposal({ evaluationId, onDone }: { evaluationId: string; onDone: () => void }) {
  const [kind, setKind] = useState<string>("custom");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [deadline, setDeadline] = useState("");
  const submission = useSubmission(["proposal.title", "deadline"]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([
      { field: "proposal.title", value: title, required: true, max: 300 },
      { field: "proposal.description", value: description, max: 10_000 },
      { field: "deadline", value: deadline, required: true },
    ]);
    if (!checks.deadline && !(new Date(deadline).getTime() > Date.now())) checks.deadline = t("errors.future");
    void submission.run(async () => {
      const payload = kind === "custom" || kind === "withhold_data" || kind === "end_withholding" ? {} : { note: description.trim() };
      await api.post(evaluationPath(evaluationId, "/proposals"), { kind, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), deadline: new Date(deadline).toISOString(), payload });
      setTitle("");
      setDescription("");
      onDone();
    }, checks);
  };
  return (
    <details>
      <summary>{t("govern.newProposal")}</summary>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="proposal.kind" label={t("govern.kind")} options={KINDS.map((k) => ({ value: k, label: t(`govern.kinds.${k}`) }))} value={kind} onChange={setKind} />
        <TextField field="proposal.title" label={t("govern.proposalTitle")} value={title} onInput={setTitle} required error={submission.fieldErrors["proposal.title"]} />
        <TextField field="proposal.description" label={t("govern.proposalDescription")} value={description} onInput={setDescription} multiline error={submission.fieldErrors["proposal.description"]} />
        <TextField field="deadline" type="datetime-local" label={t("govern.deadline")} value={deadline} onInput={setDeadline} required error={submission.fieldErrors.deadline} />
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t("govern.submitProposal")} />
      </form>
    </details>
  );
}
