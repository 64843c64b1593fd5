/** What is shown about a live subject's circuit: a fixed phrase to everyone, the kind and HTTP status to organisers. */
import { organiserReason, phaseOf, publicReason } from "../../core/circuit.ts";
import type { SubjectRow } from "../evaluations/subject-queries.ts";
import { stateOf, type CircuitRow } from "./live-queries.ts";

export function withCircuit(subject: SubjectRow, circuit: CircuitRow | undefined, forOrganiser: boolean, now: Date): SubjectRow {
  if (!circuit || !subject.available) return subject;
  const state = stateOf(circuit);
  const waiting = phaseOf(state, now) === "open" || (state.probeUntil !== null && now.getTime() < state.probeUntil.getTime());
  if (!waiting) return subject;
  const kind = circuit.last_failure_kind ?? "unreachable";
  const reason = forOrganiser
    ? `${organiserReason({ kind, status: circuit.last_failure_status })}; retried after ${(state.openUntil ?? now).toISOString()}`
    : publicReason(kind);
  return { ...subject, available: false, unavailable_reason: reason };
}
