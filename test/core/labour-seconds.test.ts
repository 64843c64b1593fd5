import assert from "node:assert/strict";
import { test } from "node:test";
import { accountLabour, measureTask, summariseWork } from "../../src/core/labour.ts";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const FLOOR = { currency: "USD", ratePerHour: 725, source: "US federal minimum wage" };

test("time counts in whole seconds, and the money comes from the same seconds: no sum beside zero time", () => {
  assert.equal(measureTask({ servedAt: at(0), submittedAt: at(400) }), 0);
  assert.equal(measureTask({ servedAt: at(0), submittedAt: at(1999) }), 1000);
  const work = summariseWork([{ servedAt: at(0), submittedAt: at(700) }, { servedAt: at(0), submittedAt: at(900) }]);
  assert.equal(work.measuredMs, 0);
  const account = accountLabour({ workedMs: work.measuredMs, ratePerHour: 0, paidMinor: 0, floor: FLOOR });
  assert.equal(account.hours, 0);
  assert.equal(account.valueAtFloorMinor, 0, "0 seconds are worth nothing at the floor");
  // 60 s at $7.25/h = 12.08 cents, rounded up once: 13
  assert.equal(accountLabour({ workedMs: 60_000, ratePerHour: 0, paidMinor: 0, floor: FLOOR }).valueAtFloorMinor, 13);
});
