/**
 * Dissent that the sponsor cannot suppress: minority reports and demands.
 *
 * Minority reports: the author counts as the first signer; a participant signs at most once; the report is
 * published (verbatim, beside the results) as soon as its signers reach the charter's threshold, and stays
 * published: `publishedAt` is the time of the signature that reached the threshold.
 *
 * Demands: the author counts as the first endorser. The threshold is a share of the evaluation's
 * participants, needed = max(1, ceil(share × participants)). The moment the threshold is reached the
 * sponsor owes a public answer within the charter's days; the service stores that moment (`owedSince`,
 * see `owedSinceAfterEndorsement`) so that later participants joining cannot un-owe an answer.
 *
 * Who counts — as a signer, an endorser, and in the participants a share is taken of — is decided by
 * governance.ts isEligibleVoter; the service passes only counted signatures and counts here.
 */

export interface Signature {
  readonly participantId: string;
  readonly signedAt: Date;
}

export type SignRefusal = "already_signed";

/** Whether `participantId` may add a signature (or endorsement); the author has signed by writing it. */
export function canSign(authorId: string, signatures: readonly Signature[], participantId: string): { readonly ok: true } | { readonly ok: false; readonly reason: SignRefusal } {
  if (participantId === authorId || signatures.some((s) => s.participantId === participantId)) return { ok: false, reason: "already_signed" };
  return { ok: true };
}

/**
 * Rule `no_self_endorsement`: the author of a demand cannot endorse it (writing it counted as the first
 * endorsement); anyone else endorses at most once.
 */
export function canEndorse(authorId: string, endorsements: readonly Signature[], participantId: string): { readonly ok: true } | { readonly ok: false; readonly reason: "own_demand" | SignRefusal } {
  if (participantId === authorId) return { ok: false, reason: "own_demand" };
  return canSign(authorId, endorsements, participantId);
}

/**
 * Distinct signers in time order, the author first (at `createdAt`) unless the author does not count;
 * repeated signatures are ignored.
 */
export function signersInOrder(authorId: string, createdAt: Date, signatures: readonly Signature[], authorCounts = true): Signature[] {
  const seen = new Set<string>([authorId]);
  const ordered: Signature[] = authorCounts ? [{ participantId: authorId, signedAt: createdAt }] : [];
  const sorted = [...signatures].sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime());
  for (const signature of sorted) {
    if (seen.has(signature.participantId)) continue;
    seen.add(signature.participantId);
    ordered.push(signature);
  }
  return ordered;
}

export interface MinorityReportInput {
  readonly authorId: string;
  readonly createdAt: Date;
  readonly signatures: readonly Signature[];
  /** charter: number of signers (author included) needed to publish */
  readonly threshold: number;
  /** false when the author's own signature does not count (see governance isEligibleVoter); default true */
  readonly authorCounts?: boolean;
}

export type MinorityReportStatus =
  | { readonly status: "gathering"; readonly signers: number; readonly needed: number }
  | { readonly status: "published"; readonly signers: number; readonly publishedAt: Date };

export function minorityReportStatus(input: MinorityReportInput): MinorityReportStatus {
  if (!Number.isInteger(input.threshold) || input.threshold < 1) throw new RangeError(`threshold must be a positive integer, got ${input.threshold}`);
  const signers = signersInOrder(input.authorId, input.createdAt, input.signatures, input.authorCounts ?? true);
  const reaching = signers[input.threshold - 1];
  if (!reaching) return { status: "gathering", signers: signers.length, needed: input.threshold - signers.length };
  return { status: "published", signers: signers.length, publishedAt: reaching.signedAt };
}

/* ------------------------------------------------------------------ demands */

const DAY_MS = 86_400_000;

/** Endorsers needed: max(1, ceil(share × participants)), robust to float error. */
export function endorsementsNeeded(participantCount: number, thresholdShare: number): number {
  if (!(thresholdShare > 0 && thresholdShare <= 1)) throw new RangeError(`threshold share must be in (0, 1], got ${thresholdShare}`);
  if (!Number.isInteger(participantCount) || participantCount < 0) throw new RangeError(`participant count must be a non-negative integer, got ${participantCount}`);
  return Math.max(1, Math.ceil(thresholdShare * participantCount - 1e-9));
}

export interface EndorsementEvent {
  /** endorsers after this endorsement, author included */
  readonly endorsers: number;
  readonly participantCount: number;
  readonly thresholdShare: number;
  readonly owedSince: Date | null;
  readonly at: Date;
}

/** The `owedSince` to store after an endorsement: unchanged once set, else `at` if the threshold is now reached. */
export function owedSinceAfterEndorsement(event: EndorsementEvent): Date | null {
  if (event.owedSince) return event.owedSince;
  return event.endorsers >= endorsementsNeeded(event.participantCount, event.thresholdShare) ? event.at : null;
}

export function answerDeadline(owedSince: Date, answerDays: number): Date {
  if (!(answerDays > 0)) throw new RangeError(`answer days must be positive, got ${answerDays}`);
  return new Date(owedSince.getTime() + answerDays * DAY_MS);
}

export interface DemandStatusInput {
  readonly endorsers: number;
  readonly needed: number;
  readonly owedSince: Date | null;
  readonly answeredAt: Date | null;
  /** charter: days the sponsor has to answer once the threshold is reached */
  readonly answerDays: number;
  readonly now: Date;
}

export type DemandStatus =
  | { readonly status: "gathering"; readonly endorsers: number; readonly needed: number }
  | { readonly status: "owed"; readonly owedSince: Date; readonly deadline: Date }
  | { readonly status: "overdue"; readonly owedSince: Date; readonly deadline: Date }
  | { readonly status: "answered"; readonly answeredAt: Date; readonly late: boolean };

/** Where a demand stands at `now`. An answer is "late" when given after the deadline. */
export function demandStatus(input: DemandStatusInput): DemandStatus {
  const deadline = input.owedSince ? answerDeadline(input.owedSince, input.answerDays) : null;
  if (input.answeredAt) {
    return { status: "answered", answeredAt: input.answeredAt, late: deadline !== null && input.answeredAt.getTime() > deadline.getTime() };
  }
  if (!input.owedSince || !deadline) return { status: "gathering", endorsers: input.endorsers, needed: input.needed };
  if (input.now.getTime() > deadline.getTime()) return { status: "overdue", owedSince: input.owedSince, deadline };
  return { status: "owed", owedSince: input.owedSince, deadline };
}

/* ------------------------------------------------------------------ progress */

export const DEMAND_PROGRESS = ["open", "acknowledged", "in_progress", "done", "declined"] as const;
export type DemandProgress = (typeof DEMAND_PROGRESS)[number];

const NEXT: Readonly<Record<DemandProgress, readonly DemandProgress[]>> = {
  open: ["acknowledged", "in_progress", "done", "declined"],
  acknowledged: ["in_progress", "done", "declined"],
  in_progress: ["done", "declined"],
  done: [],
  declined: [],
};

export type ProgressRefusal = "invalid_transition" | "reason_required";

/**
 * Progress moves forward only (open → acknowledged → in_progress → done), and may be declined from any
 * open state; done and declined are final. Declining requires a public reason.
 */
export function checkProgressTransition(from: DemandProgress, to: DemandProgress, reason?: string | null): { readonly ok: true } | { readonly ok: false; readonly reason: ProgressRefusal } {
  if (!NEXT[from].includes(to)) return { ok: false, reason: "invalid_transition" };
  if (to === "declined" && !(typeof reason === "string" && reason.trim().length > 0)) return { ok: false, reason: "reason_required" };
  return { ok: true };
}

export interface Milestone {
  readonly title: string;
  readonly dueAt: Date | null;
  readonly doneAt: Date | null;
}

export interface MilestoneSummary {
  readonly total: number;
  readonly done: number;
  /** titles of milestones past due and not done at `now` */
  readonly overdue: string[];
}

export function summariseMilestones(milestones: readonly Milestone[], now: Date): MilestoneSummary {
  const overdue = milestones.filter((m) => m.doneAt === null && m.dueAt !== null && m.dueAt.getTime() < now.getTime()).map((m) => m.title);
  return { total: milestones.length, done: milestones.filter((m) => m.doneAt !== null).length, overdue };
}
