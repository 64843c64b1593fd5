/**
 * Labour accounting: measured time, pay owed, pay floors, unpaid labour.
 *
 * - Time is measured by the server per task, from when the task was served to when it was submitted.
 *   Idle time is capped: a task counts min(submitted − served, cap) (cap from the charter, default 10 min),
 *   so a tab left open overnight is not counted as work, and the capped-away time is reported.
 * - Money is integer MINOR units (cents for USD); rates are minor units per hour.
 * - Rounding: pay owed is computed ONCE on the total measured time (never per task, so rounding cannot
 *   accumulate) and rounded UP to the next whole minor unit: a fraction of a cent goes to the contributor.
 *   Computed with BigInt, exactly.
 */

export const DEFAULT_IDLE_CAP_MINUTES = 10;
export const DEFAULT_PAY_FLOOR: PayFloor = { currency: "USD", ratePerHour: 1200 };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface PayFloor {
  /** ISO 4217 code */
  readonly currency: string;
  /** minor units per hour */
  readonly ratePerHour: number;
}

export interface TaskTiming {
  readonly servedAt: Date;
  readonly submittedAt: Date;
}

export interface WorkSummary {
  /** tasks counted */
  readonly tasks: number;
  /** time counted for pay, after the idle cap */
  readonly measuredMs: number;
  /** wall-clock time between serve and submit, before the cap */
  readonly elapsedMs: number;
  /** elapsedMs − measuredMs: time not counted because of the cap */
  readonly cappedMs: number;
  /** timings refused: submitted before served, or an invalid date */
  readonly invalid: number;
}

const SECOND_MS = 1000;

/**
 * The time a task counts for: min(submitted − served, cap) in whole seconds, or null when the timing is
 * impossible. Whole seconds are the one unit of labour: the time shown and the money computed from it
 * (owed, value at the floor) come from the same figure, so "0 seconds" never sits beside a sum of money.
 */
export function measureTask(timing: TaskTiming, capMinutes = DEFAULT_IDLE_CAP_MINUTES): number | null {
  const elapsed = timing.submittedAt.getTime() - timing.servedAt.getTime();
  if (Number.isNaN(elapsed) || elapsed < 0) return null;
  return Math.floor(Math.min(elapsed, capMinutes * MINUTE_MS) / SECOND_MS) * SECOND_MS;
}

/** Sums measured time over tasks, reporting what the idle cap removed and what was refused. */
export function summariseWork(timings: readonly TaskTiming[], capMinutes = DEFAULT_IDLE_CAP_MINUTES): WorkSummary {
  if (!(capMinutes > 0)) throw new RangeError(`idle cap must be positive, got ${capMinutes}`);
  let tasks = 0;
  let measuredMs = 0;
  let elapsedMs = 0;
  let invalid = 0;
  for (const timing of timings) {
    const measured = measureTask(timing, capMinutes);
    if (measured === null) {
      invalid += 1;
      continue;
    }
    tasks += 1;
    measuredMs += measured;
    elapsedMs += timing.submittedAt.getTime() - timing.servedAt.getTime();
  }
  return { tasks, measuredMs, elapsedMs, cappedMs: elapsedMs - measuredMs, invalid };
}

function assertWholeNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
}

/** rate × hours in minor units, rounded up to a whole minor unit (exact, BigInt). */
export function payOwed(ratePerHour: number, workedMs: number): number {
  assertWholeNonNegative("ratePerHour", ratePerHour);
  assertWholeNonNegative("workedMs", Math.round(workedMs));
  const numerator = BigInt(ratePerHour) * BigInt(Math.round(workedMs));
  const hour = BigInt(HOUR_MS);
  const whole = numerator / hour;
  return Number(numerator % hour === 0n ? whole : whole + 1n);
}

/** What was actually paid per hour worked, in minor units per hour; null when no time was worked. */
export function effectiveHourlyRate(paidMinor: number, workedMs: number): number | null {
  if (workedMs <= 0) return null;
  return (paidMinor * HOUR_MS) / workedMs;
}

export type PayRateCheck =
  | { readonly ok: true; readonly volunteer: false }
  | { readonly ok: true; readonly volunteer: true; readonly belowFloor: boolean; readonly floor: PayFloor }
  | { readonly ok: false; readonly reason: "below_floor" | "no_floor_for_currency" | "invalid_rate"; readonly floor: PayFloor | null };

export interface PayRateInput {
  /** minor units per hour */
  readonly rate: number;
  readonly currency: string;
  /** the charter declares the work voluntary (unpaid or underpaid by choice, stated openly) */
  readonly volunteer: boolean;
  /** the floor to enforce; default 12.00 USD/h. A rate in another currency needs its own floor. */
  readonly floor?: PayFloor;
}

/** A charter's pay rate must reach the floor, unless the work is openly declared voluntary. */
export function validatePayRate(input: PayRateInput): PayRateCheck {
  const floor = input.floor ?? DEFAULT_PAY_FLOOR;
  if (!Number.isSafeInteger(input.rate) || input.rate < 0) return { ok: false, reason: "invalid_rate", floor: null };
  if (floor.currency.toUpperCase() !== input.currency.toUpperCase()) return { ok: false, reason: "no_floor_for_currency", floor: null };
  const belowFloor = input.rate < floor.ratePerHour;
  if (input.volunteer) return { ok: true, volunteer: true, belowFloor, floor };
  if (belowFloor) return { ok: false, reason: "below_floor", floor };
  return { ok: true, volunteer: false };
}

export interface LabourAccount {
  readonly hours: number;
  readonly owedMinor: number;
  readonly paidMinor: number;
  /** owed − paid when positive: pay still due */
  readonly outstandingMinor: number;
  /** paid per hour worked (minor units/hour); null when nothing was worked */
  readonly effectiveHourlyRate: number | null;
  /** hours for which nothing at all is owed (rate 0) */
  readonly unpaidHours: number;
  /** what the same hours are worth at the floor rate */
  readonly valueAtFloorMinor: number;
  /** valueAtFloor − owed when positive: the labour given below the floor, in money */
  readonly belowFloorMinor: number;
}

export interface LabourAccountInput {
  readonly workedMs: number;
  readonly ratePerHour: number;
  /** payouts actually made, in minor units */
  readonly paidMinor: number;
  readonly floor?: PayFloor;
}

/** The ledger's view of a participant's (or an evaluation's) labour: owed, paid, and what is unpaid. */
export function accountLabour(input: LabourAccountInput): LabourAccount {
  const floor = input.floor ?? DEFAULT_PAY_FLOOR;
  const owedMinor = payOwed(input.ratePerHour, input.workedMs);
  const valueAtFloorMinor = payOwed(floor.ratePerHour, input.workedMs);
  const hours = input.workedMs / HOUR_MS;
  return {
    hours,
    owedMinor,
    paidMinor: input.paidMinor,
    outstandingMinor: Math.max(0, owedMinor - input.paidMinor),
    effectiveHourlyRate: effectiveHourlyRate(input.paidMinor, input.workedMs),
    unpaidHours: input.ratePerHour === 0 ? hours : 0,
    valueAtFloorMinor,
    belowFloorMinor: Math.max(0, valueAtFloorMinor - owedMinor),
  };
}

export const SPONSOR_RATING_DIMENSIONS = ["communication", "pay", "fairness", "promptness"] as const;
export type SponsorRatingDimension = (typeof SPONSOR_RATING_DIMENSIONS)[number];

/** One participant's rating of the sponsor, each dimension an integer from 1 (worst) to 5 (best). */
export type SponsorRating = { readonly participantId: string } & Readonly<Record<SponsorRatingDimension, number>>;

export interface DimensionSummary {
  readonly mean: number;
  readonly median: number;
}

export type SponsorRatingSummary =
  | { readonly status: "suppressed"; readonly k: number }
  | { readonly status: "shown"; readonly raters: number; readonly dimensions: Readonly<Record<SponsorRatingDimension, DimensionSummary>> };

function isScore(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

function summarise(values: readonly number[]): DimensionSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { mean: values.reduce((sum, v) => sum + v, 0) / values.length, median: median(sorted) };
}

/**
 * Aggregates sponsor ratings; shown only when at least k distinct participants rated (otherwise a
 * rating could be traced to a person, and a sponsor could retaliate). If a participant appears twice,
 * the later entry replaces the earlier. Scores outside 1–5 or not integers are refused (RangeError).
 */
export function aggregateSponsorRatings(ratings: readonly SponsorRating[], k: number): SponsorRatingSummary {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const latest = new Map<string, SponsorRating>();
  for (const rating of ratings) {
    for (const dimension of SPONSOR_RATING_DIMENSIONS) {
      if (!isScore(rating[dimension])) throw new RangeError(`${dimension} must be an integer from 1 to 5, got ${rating[dimension]}`);
    }
    latest.set(rating.participantId, rating);
  }
  if (latest.size < k) return { status: "suppressed", k };
  const rows = [...latest.values()];
  const dimensions = Object.fromEntries(SPONSOR_RATING_DIMENSIONS.map((d) => [d, summarise(rows.map((row) => row[d]))])) as Record<SponsorRatingDimension, DimensionSummary>;
  return { status: "shown", raters: rows.length, dimensions };
}
