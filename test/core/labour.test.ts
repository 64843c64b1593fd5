import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accountLabour,
  aggregateSponsorRatings,
  effectiveHourlyRate,
  measureTask,
  payOwed,
  summariseWork,
  validatePayRate,
  type SponsorRating,
} from "../../src/core/labour.ts";

const at = (hms: string) => new Date(`2025-03-01T${hms}Z`);

test("idle time is capped per task and the capped time is reported", () => {
  const summary = summariseWork([
    { servedAt: at("10:00:00"), submittedAt: at("10:03:30") }, // 3.5 min
    { servedAt: at("10:05:00"), submittedAt: at("11:05:00") }, // 60 min, capped to 10
    { servedAt: at("12:00:00"), submittedAt: at("11:59:00") }, // submitted before served: refused
  ]);
  assert.equal(summary.tasks, 2);
  assert.equal(summary.measuredMs, 13.5 * 60_000);
  assert.equal(summary.elapsedMs, 63.5 * 60_000);
  assert.equal(summary.cappedMs, 50 * 60_000);
  assert.equal(summary.invalid, 1);
});

test("the cap comes from the charter", () => {
  assert.equal(measureTask({ servedAt: at("10:00:00"), submittedAt: at("10:30:00") }, 20), 20 * 60_000);
  assert.equal(measureTask({ servedAt: at("10:00:00"), submittedAt: at("10:30:00") }), 10 * 60_000);
});

test("pay owed is rate × hours in cents, rounded up once on the total", () => {
  assert.equal(payOwed(1200, 13.5 * 60_000), 270); // 12.00/h × 0.225 h = 2.70
  assert.equal(payOwed(1250, 7 * 60_000), 146); // 145.83… → 146
  assert.equal(payOwed(1500, 1000), 1); // 0.42 cent → 1 cent, in the contributor's favour
  assert.equal(payOwed(1200, 3_600_000), 1200);
  assert.equal(payOwed(0, 3_600_000), 0);
  assert.throws(() => payOwed(12.5, 1000), RangeError);
});

test("pay floor: below it is refused unless the work is declared voluntary", () => {
  assert.deepEqual(validatePayRate({ rate: 1199, currency: "USD", volunteer: false }), { ok: false, reason: "below_floor", floor: { currency: "USD", ratePerHour: 1200 } });
  assert.deepEqual(validatePayRate({ rate: 1200, currency: "usd", volunteer: false }), { ok: true, volunteer: false });
  const volunteer = validatePayRate({ rate: 0, currency: "USD", volunteer: true });
  assert.equal(volunteer.ok && volunteer.volunteer && volunteer.belowFloor, true);
  assert.deepEqual(validatePayRate({ rate: 2000, currency: "EUR", volunteer: false }), { ok: false, reason: "no_floor_for_currency", floor: null });
  assert.deepEqual(validatePayRate({ rate: 1150, currency: "EUR", volunteer: false, floor: { currency: "EUR", ratePerHour: 1100 } }), { ok: true, volunteer: false });
  assert.equal(validatePayRate({ rate: -5, currency: "USD", volunteer: true }).ok, false);
});

test("volunteer labour: unpaid hours and their value at the floor rate are reported", () => {
  const account = accountLabour({ workedMs: 2.5 * 3_600_000, ratePerHour: 0, paidMinor: 0 });
  assert.equal(account.unpaidHours, 2.5);
  assert.equal(account.valueAtFloorMinor, 3000);
  assert.equal(account.belowFloorMinor, 3000);
  assert.equal(account.effectiveHourlyRate, 0);
});

test("paid labour: owed, outstanding and the effective hourly rate", () => {
  const account = accountLabour({ workedMs: 2 * 3_600_000, ratePerHour: 1000, paidMinor: 1500, floor: { currency: "USD", ratePerHour: 1200 } });
  assert.equal(account.owedMinor, 2000);
  assert.equal(account.outstandingMinor, 500);
  assert.equal(account.effectiveHourlyRate, 750);
  assert.equal(account.belowFloorMinor, 400);
  assert.equal(account.unpaidHours, 0);
  assert.equal(effectiveHourlyRate(100, 0), null);
});

const rating = (participantId: string, c: number, p: number, f: number, pr: number): SponsorRating => ({ participantId, communication: c, pay: p, fairness: f, promptness: pr });

test("sponsor ratings are hidden below k distinct raters", () => {
  const summary = aggregateSponsorRatings([rating("a", 5, 5, 5, 5), rating("b", 1, 1, 1, 1), rating("a", 3, 3, 3, 3)], 3);
  assert.deepEqual(summary, { status: "suppressed", k: 3 });
});

test("sponsor ratings: mean and median per dimension, a repeated rater counted once (last entry)", () => {
  const summary = aggregateSponsorRatings([rating("a", 1, 1, 3, 2), rating("b", 2, 4, 3, 2), rating("c", 4, 5, 3, 2), rating("d", 5, 2, 3, 2), rating("a", 1, 5, 3, 2)], 4);
  assert.equal(summary.status, "shown");
  if (summary.status !== "shown") return;
  assert.equal(summary.raters, 4);
  assert.deepEqual(summary.dimensions.communication, { mean: 3, median: 3 });
  assert.deepEqual(summary.dimensions.pay, { mean: 4, median: 4.5 });
  assert.throws(() => aggregateSponsorRatings([rating("a", 6, 1, 1, 1)], 1), RangeError);
});
