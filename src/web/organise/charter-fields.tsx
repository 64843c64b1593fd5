import { CheckboxField, CheckboxGroup, SelectField } from "../lib/choices.tsx";
import { TextField, type FieldErrors } from "../lib/form.tsx";
import { LANGUAGES, t } from "../lib/i18n.ts";
import { AGGREGATION_RULES, BOARDS, CONSENT_SCOPES, DECISION_METHODS, IDENTITY_ASSURANCES, PARTICIPANT_ITEMS, TEXT_LIMITS, type Charter, type ConsentScope } from "../lib/types.ts";
import { NUMBER_SPECS, TEXT_SPECS, type CharterDraft } from "./charter-draft.ts";
import { RubricEditor } from "./rubric-editor.tsx";

const key = (path: string) => `organise.fields.${path.replace(/\./g, "_")}`;

interface Props {
  draft: CharterDraft;
  errors: FieldErrors;
  onChange: (draft: CharterDraft) => void;
}

/** Every charter field, grouped, each with its explanation and default. */
export function CharterFields({ draft, errors, onChange }: Props) {
  const text = (path: string, multiline = false) => {
    const spec = TEXT_SPECS.find((s) => s.path === path);
    return (
      <TextField
        field={path}
        label={t(`${key(path)}.label`)}
        hint={t(`${key(path)}.hint`)}
        value={draft.text[path] ?? ""}
        onInput={(value) => onChange({ ...draft, text: { ...draft.text, [path]: value } })}
        required={spec?.required}
        multiline={multiline}
        max={multiline ? spec?.max : undefined}
        error={errors[path]}
      />
    );
  };
  const number = (path: string) => {
    const spec = NUMBER_SPECS.find((s) => s.path === path);
    return (
      <TextField
        field={path}
        type="number"
        label={t(`${key(path)}.label`)}
        hint={t(`${key(path)}.hint`, { initial: spec ? (spec.percent ? spec.initial * 100 : spec.initial) : "" })}
        value={draft.numbers[path] ?? ""}
        onInput={(value) => onChange({ ...draft, numbers: { ...draft.numbers, [path]: value } })}
        required
        error={errors[path]}
      />
    );
  };
  return (
    <>
      <fieldset class="form-section">
        <legend>{t("organise.sections.basics")}</legend>
        {text("slug")}
        {text("title")}
        {text("question", true)}
        {text("charter.purpose", true)}
        {text("charter.sponsor")}
        {text("charter.beneficiaries", true)}
      </fieldset>
      <fieldset class="form-section">
        <legend>{t("organise.sections.data")}</legend>
        <CheckboxGroup
          field="charter.scopes"
          legend={t(`${key("charter.scopes")}.label`)}
          hint={t(`${key("charter.scopes")}.hint`)}
          options={CONSENT_SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}.name`), hint: t(`scopes.${s}.explain`) }))}
          selected={draft.scopes}
          onChange={(scopes) => onChange({ ...draft, scopes: scopes as ConsentScope[] })}
          error={errors["charter.scopes"]}
        />
        {number("charter.kAnonymity")}
      </fieldset>
      <fieldset class="form-section">
        <legend>{t("organise.sections.pay")}</legend>
        <CheckboxField field="charter.pay.volunteer" label={t(`${key("charter.pay.volunteer")}.label`)} hint={t(`${key("charter.pay.volunteer")}.hint`)} checked={draft.volunteer} onChange={(volunteer) => onChange({ ...draft, volunteer })} />
        {number("charter.pay.ratePerHour")}
        {text("charter.pay.currency")}
        {number("charter.idleCapMinutes")}
      </fieldset>
      <fieldset class="form-section">
        <legend>{t("organise.sections.governance")}</legend>
        <SelectField
          field="charter.governance.decisionMethod"
          label={t(`${key("charter.governance.decisionMethod")}.label`)}
          hint={t(`${key("charter.governance.decisionMethod")}.hint`)}
          options={DECISION_METHODS.map((m) => ({ value: m, label: t(`organise.methods.${m}`) }))}
          value={draft.decisionMethod}
          onChange={(value) => onChange({ ...draft, decisionMethod: value as Charter["governance"]["decisionMethod"] })}
        />
        {number("charter.governance.quorum")}
        {number("charter.governance.minorityReportSignatures")}
        {number("charter.governance.demandThreshold")}
        {number("charter.governance.demandAnswerDays")}
        <CheckboxField
          field="charter.governance.releaseRequiresApproval"
          label={t(`${key("charter.governance.releaseRequiresApproval")}.label`)}
          hint={t(`${key("charter.governance.releaseRequiresApproval")}.hint`)}
          checked={draft.releaseRequiresApproval}
          onChange={(releaseRequiresApproval) => onChange({ ...draft, releaseRequiresApproval })}
        />
      </fieldset>
      <fieldset class="form-section">
        <legend>{t("organise.sections.results")}</legend>
        <CheckboxGroup
          field="charter.rules"
          legend={t(`${key("charter.rules")}.label`)}
          hint={t(`${key("charter.rules")}.hint`)}
          options={AGGREGATION_RULES.map((r) => ({ value: r, label: t(`rules.${r}.name`), hint: t(`rules.${r}.explain`) }))}
          selected={draft.rules}
          onChange={(rules) => onChange({ ...draft, rules: rules as Charter["rules"] })}
          error={errors["charter.rules"]}
        />
        <SelectField
          field="charter.headlineBoard"
          label={t(`${key("charter.headlineBoard")}.label`)}
          hint={t(`${key("charter.headlineBoard")}.hint`)}
          options={BOARDS.map((v) => ({ value: v, label: t(`organise.headlineBoard.${v}`) }))}
          value={draft.headlineBoard}
          onChange={(value) => onChange({ ...draft, headlineBoard: value as CharterDraft["headlineBoard"] })}
        />
        <RubricEditor rubric={draft.rubric} errors={errors} onChange={(rubric) => onChange({ ...draft, rubric })} />
      </fieldset>
      <fieldset class="form-section">
        <legend>{t("organise.sections.participation")}</legend>
        <CheckboxGroup
          field="charter.languages"
          legend={t(`${key("charter.languages")}.label`)}
          hint={t(`${key("charter.languages")}.hint`)}
          options={LANGUAGES.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
          selected={draft.languages}
          onChange={(languages) => onChange({ ...draft, languages })}
          error={errors["charter.languages"]}
        />
        <SelectField
          field="charter.participantItems"
          label={t(`${key("charter.participantItems")}.label`)}
          hint={t(`${key("charter.participantItems")}.hint`)}
          options={PARTICIPANT_ITEMS.map((v) => ({ value: v, label: t(`organise.participantItems.${v}`) }))}
          value={draft.participantItems}
          onChange={(value) => onChange({ ...draft, participantItems: value as Charter["participantItems"] })}
        />
        <SelectField
          field="charter.identityAssurance"
          label={t(`${key("charter.identityAssurance")}.label`)}
          hint={t(`${key("charter.identityAssurance")}.hint`)}
          options={IDENTITY_ASSURANCES.map((v) => ({ value: v, label: t(`organise.identityAssurance.${v}`) }))}
          value={draft.identityAssurance}
          onChange={(value) => onChange({ ...draft, identityAssurance: value as CharterDraft["identityAssurance"] })}
        />
        {number("charter.liveBattles.perParticipantPerDay")}
        {number("charter.liveBattles.perEvaluationPerDay")}
        {TEXT_LIMITS.map((limit) => (
          <div key={limit}>{number(`charter.textLimits.${limit}`)}</div>
        ))}
      </fieldset>
    </>
  );
}
