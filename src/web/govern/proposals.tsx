import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { CheckboxField, SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission, type FieldErrors } from "../lib/form.tsx";
import { formatDate, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { BALLOT_CHOICES, DECISION_METHODS, EXPORT_SCOPES, PROPOSAL_KINDS, type BallotChoice, type Charter, type ProposalKind, type ProposalList } from "../lib/types.ts";

type Listed = ProposalList["proposals"][number];

/** The choices a decision method takes: under consent a blocker objects (with a reason) instead of voting no. */
const choicesOf = (method: Listed["method"]) => BALLOT_CHOICES.filter((c) => (method === "consent" ? c !== "no" : c !== "object"));

/** Proposals decided under the charter's rule; a passed proposal is carried out by the platform. */
export function Proposals({ evaluationId, participant, charter }: { evaluationId: string; participant: boolean; charter: Charter | undefined }) {
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
                <li key={p.id} class="card proposal" data-kind={p.kind}>
                  <h3 dir="auto">{p.title}</h3>
                  {p.description ? <p dir="auto">{p.description}</p> : null}
                  <p class="muted">{t("govern.proposalLine", { kind: t(`govern.kinds.${p.kind}`), status: t(`govern.statuses.${p.status}`, { defaultValue: p.status }), deadline: formatDate(p.deadline) })}</p>
                  <PayloadSummary proposal={p} />
                  <p class="hint">{t(`journey.govern.rule.${p.method}`, { quorum: Math.round(p.quorum * 100) })}</p>
                  {p.status === "open" && p.turnout ? <Turnout turnout={p.turnout} /> : null}
                  {p.status !== "open" ? <Outcome proposal={p} /> : null}
                  {participant && p.status === "open" ? <Ballot evaluationId={evaluationId} proposal={p} onCast={list.reload} /> : null}
                </li>
              ))}
            </ul>
          </>
        )}
      </Async>
      {participant && charter ? <NewProposal evaluationId={evaluationId} charter={charter} onDone={list.reload} /> : null}
    </section>
  );
}

function PayloadSummary({ proposal: p }: { proposal: Listed }) {
  const text = (key: string) => (typeof p.payload[key] === "string" ? (p.payload[key] as string) : "");
  if (p.kind === "adopt_rule") return <p dir="auto">{t("journey.govern.ruleText", { rule: text("rule") })}</p>;
  if (p.kind === "amend_charter") {
    const charter = p.payload.charter as Partial<Charter> | undefined;
    const g = charter?.governance;
    if (!charter || !g) return null;
    return (
      <p>
        {t("journey.govern.amendText", {
          method: t(`organise.methods.${g.decisionMethod}`),
          quorum: Math.round(g.quorum * 100),
          threshold: Math.round(g.demandThreshold * 100),
          signatures: g.minorityReportSignatures,
          k: charter.kAnonymity ?? "",
          open: t(charter.openParticipation ? "journey.govern.openYes" : "journey.govern.openNo"),
        })}
      </p>
    );
  }
  if (p.kind === "release_data") return <p>{t("journey.govern.releaseText", { scope: t(`scopes.${text("scope")}.name`, { defaultValue: text("scope") }), recipient: text("recipient") })}</p>;
  return null;
}

/** How many who count have voted, against the quorum's count (how they voted stays secret until the deadline). */
function Turnout({ turnout: { voted, eligible, quorumNeeded } }: { turnout: NonNullable<Listed["turnout"]> }) {
  const label = t("journey.govern.turnout", { voted: formatNumber(voted), eligible: formatNumber(eligible), needed: formatNumber(quorumNeeded) });
  return (
    <div class="turnout">
      <p>{label}</p>
      <progress max={Math.max(quorumNeeded, 1)} value={Math.min(voted, Math.max(quorumNeeded, 1))} aria-label={label} />
      <p class="hint">{voted >= quorumNeeded ? t("journey.govern.quorumMet") : t("journey.govern.quorumShort", { count: quorumNeeded - voted })}</p>
    </div>
  );
}

function Outcome({ proposal: p }: { proposal: Listed }) {
  const tally = p.tally;
  const effect = p.effect ?? {};
  const done =
    typeof effect.charterVersion === "number"
      ? t("journey.govern.effect.charter", { version: effect.charterVersion })
      : effect.withholding === "started"
        ? t("journey.govern.effect.withholdingStarted")
        : effect.withholding === "ended"
          ? t("journey.govern.effect.withholdingEnded")
          : effect.release
            ? t("journey.govern.effect.release")
            : effect.recorded
              ? t("journey.govern.effect.recorded")
              : "";
  return (
    <div class="outcome">
      {tally ? <p>{t("journey.govern.tally", { yes: formatNumber(tally.yes), no: formatNumber(tally.no), abstain: formatNumber(tally.abstain), object: formatNumber(tally.object), cast: formatNumber(tally.cast), eligible: formatNumber(tally.eligible), needed: formatNumber(tally.quorumNeeded) })}</p> : null}
      {p.status === "rejected" && p.rejectionReason ? <p>{t(`journey.govern.rejected.${p.rejectionReason}`)}</p> : null}
      {p.status === "passed" && done ? <p class="notice-text">{done}</p> : null}
    </div>
  );
}

function Ballot({ evaluationId, proposal, onCast }: { evaluationId: string; proposal: Listed; onCast: () => void }) {
  // Nothing is chosen for the voter: a ballot is cast only by choosing.
  const [choice, setChoice] = useState<BallotChoice | null>(null);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");
  const field = `ballot-${proposal.id}`;
  const choiceField = `choice-${proposal.id}`;
  const submission = useSubmission([field]);
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    const checks = checkFields([{ field, value: reason, required: choice === "object", max: 4000 }]);
    if (!choice) checks[choiceField] = t("journey.govern.chooseOne");
    void submission.run(async () => {
      await api.put(evaluationPath(evaluationId, `/proposals/${proposal.id}/ballot`), { choice, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setNotice(t("govern.ballotCast"));
      onCast();
    }, checks);
  };
  const choiceError = submission.fieldErrors[choiceField];
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <fieldset id={`f-${choiceField}`} tabIndex={-1} aria-describedby={choiceError ? `${choiceField}-error` : undefined}>
        <legend>{t("govern.yourBallot", { title: proposal.title })}</legend>
        {choicesOf(proposal.method).map((c) => (
          <label key={c} class="choice">
            <input type="radio" name={`choice-${proposal.id}`} value={c} checked={choice === c} onChange={() => setChoice(c)} />
            {t(`govern.choices.${c}`)}
          </label>
        ))}
        {choiceError ? (
          <p class="error-text" id={`${choiceField}-error`}>
            {choiceError}
          </p>
        ) : null}
      </fieldset>
      <TextField field={field} label={t("govern.ballotReason")} hint={t("govern.ballotReasonHint")} value={reason} onInput={setReason} multiline error={submission.fieldErrors[field]} />
      <FormStatus error={submission.formError} notice={notice} />
      <SubmitButton pending={submission.pending} label={t("govern.castBallot")} />
    </form>
  );
}

interface Amendment {
  decisionMethod: Charter["governance"]["decisionMethod"];
  quorum: string;
  demandThreshold: string;
  minorityReportSignatures: string;
  kAnonymity: string;
  openParticipation: boolean;
}

const amendmentOf = (charter: Charter): Amendment => ({
  decisionMethod: charter.governance.decisionMethod,
  quorum: String(Math.round(charter.governance.quorum * 100)),
  demandThreshold: String(Math.round(charter.governance.demandThreshold * 100)),
  minorityReportSignatures: String(charter.governance.minorityReportSignatures),
  kAnonymity: String(charter.kAnonymity),
  openParticipation: charter.openParticipation ?? false,
});

function numberCheck(errors: FieldErrors, field: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) errors[field] = t("errors.integer_range", { min, max });
  return value;
}

/** Each kind's own fields: the rule to adopt, the release's scope and recipient, or the charter's new settings. */
function NewProposal({ evaluationId, charter, onDone }: { evaluationId: string; charter: Charter; onDone: () => void }) {
  const scopes = charter.scopes.filter((s) => (EXPORT_SCOPES as readonly string[]).includes(s));
  const kinds = PROPOSAL_KINDS.filter((k) => k !== "release_data" || scopes.length > 0);
  const [kind, setKind] = useState<ProposalKind>("custom");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [deadline, setDeadline] = useState("");
  const [rule, setRule] = useState("");
  const [scope, setScope] = useState<string>(scopes[0] ?? "");
  const [recipient, setRecipient] = useState("");
  const [amendment, setAmendment] = useState(() => amendmentOf(charter));
  const [notice, setNotice] = useState("");
  const submission = useSubmission(["proposal.title", "deadline", "payload.rule", "payload.recipient", "payload.scope"]);
  const amend = (change: Partial<Amendment>) => setAmendment({ ...amendment, ...change });

  const payloadOf = (errors: FieldErrors): Record<string, unknown> => {
    switch (kind) {
      case "adopt_rule":
        Object.assign(errors, checkFields([{ field: "payload.rule", value: rule, required: true, max: 4000 }]));
        return { rule: rule.trim() };
      case "release_data":
        Object.assign(errors, checkFields([{ field: "payload.recipient", value: recipient, required: true, max: 300 }]));
        return { scope, recipient: recipient.trim() };
      case "amend_charter": {
        const quorum = numberCheck(errors, "amend.quorum", amendment.quorum, 0, 100);
        const threshold = numberCheck(errors, "amend.demandThreshold", amendment.demandThreshold, 0, 100);
        const signatures = numberCheck(errors, "amend.minorityReportSignatures", amendment.minorityReportSignatures, 1, 100_000);
        const k = numberCheck(errors, "amend.kAnonymity", amendment.kAnonymity, 2, 1000);
        const governance = { ...charter.governance, decisionMethod: amendment.decisionMethod, quorum: quorum / 100, demandThreshold: threshold / 100, minorityReportSignatures: signatures };
        return { charter: { ...charter, governance, kAnonymity: k, openParticipation: amendment.openParticipation } };
      }
      default:
        return {};
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    const checks = checkFields([
      { field: "proposal.title", value: title, required: true, max: 300 },
      { field: "proposal.description", value: description, max: 10_000 },
      { field: "deadline", value: deadline, required: true },
    ]);
    if (!checks.deadline && !(new Date(deadline).getTime() > Date.now())) checks.deadline = t("errors.future");
    const payload = payloadOf(checks);
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/proposals"), { kind, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), deadline: new Date(deadline).toISOString(), payload });
      setTitle("");
      setDescription("");
      setRule("");
      setRecipient("");
      setNotice(t("journey.govern.proposed"));
      onDone();
    }, checks);
  };
  const e = submission.fieldErrors;
  return (
    <details>
      <summary>{t("govern.newProposal")}</summary>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="proposal.kind" label={t("govern.kind")} hint={t(`journey.govern.kindHint.${kind}`)} options={kinds.map((k) => ({ value: k, label: t(`govern.kinds.${k}`) }))} value={kind} onChange={(value) => setKind(value as ProposalKind)} />
        <TextField field="proposal.title" label={t("govern.proposalTitle")} value={title} onInput={setTitle} required error={e["proposal.title"]} />
        <TextField field="proposal.description" label={t("govern.proposalDescription")} value={description} onInput={setDescription} multiline error={e["proposal.description"]} />
        {kind === "adopt_rule" ? <TextField field="payload.rule" label={t("journey.govern.rule.label")} hint={t("journey.govern.rule.hint")} value={rule} onInput={setRule} multiline required max={4000} error={e["payload.rule"]} /> : null}
        {kind === "release_data" ? (
          <>
            <SelectField field="payload.scope" label={t("journey.govern.release.scope")} options={scopes.map((s) => ({ value: s, label: t(`scopes.${s}.name`) }))} value={scope} onChange={setScope} error={e["payload.scope"]} />
            <TextField field="payload.recipient" label={t("journey.govern.release.recipient")} hint={t("journey.govern.release.recipientHint")} value={recipient} onInput={setRecipient} required error={e["payload.recipient"]} />
          </>
        ) : null}
        {kind === "amend_charter" ? (
          <fieldset>
            <legend>{t("journey.govern.amend.legend")}</legend>
            <p class="hint">{t("journey.govern.amend.hint")}</p>
            <SelectField field="amend.decisionMethod" label={t("organise.fields.charter_governance_decisionMethod.label")} options={DECISION_METHODS.map((m) => ({ value: m, label: t(`organise.methods.${m}`) }))} value={amendment.decisionMethod} onChange={(value) => amend({ decisionMethod: value as Amendment["decisionMethod"] })} />
            <TextField field="amend.quorum" type="number" label={t("organise.fields.charter_governance_quorum.label")} value={amendment.quorum} onInput={(quorum) => amend({ quorum })} required error={e["amend.quorum"]} />
            <TextField field="amend.demandThreshold" type="number" label={t("organise.fields.charter_governance_demandThreshold.label")} value={amendment.demandThreshold} onInput={(demandThreshold) => amend({ demandThreshold })} required error={e["amend.demandThreshold"]} />
            <TextField field="amend.minorityReportSignatures" type="number" label={t("organise.fields.charter_governance_minorityReportSignatures.label")} value={amendment.minorityReportSignatures} onInput={(minorityReportSignatures) => amend({ minorityReportSignatures })} required error={e["amend.minorityReportSignatures"]} />
            <TextField field="amend.kAnonymity" type="number" label={t("organise.fields.charter_kAnonymity.label")} value={amendment.kAnonymity} onInput={(kAnonymity) => amend({ kAnonymity })} required error={e["amend.kAnonymity"]} />
            <CheckboxField field="amend.openParticipation" label={t("journey.charter.openParticipation.label")} hint={t("journey.charter.openParticipation.hint")} checked={amendment.openParticipation} onChange={(openParticipation) => amend({ openParticipation })} />
          </fieldset>
        ) : null}
        <TextField field="deadline" type="datetime-local" label={t("govern.deadline")} hint={t("journey.govern.deadlineHint")} value={deadline} onInput={setDeadline} required error={e.deadline} />
        <FormStatus error={submission.formError} notice={notice} />
        <SubmitButton pending={submission.pending} label={t("govern.submitProposal")} />
      </form>
    </details>
  );
}
