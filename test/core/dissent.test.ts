import { test } from "node:test";
import assert from "node:assert/strict";
import {
  answerDeadline,
  canEndorse,
  canSign,
  checkProgressTransition,
  demandStatus,
  endorsementsNeeded,
  minorityReportStatus,
  owedSinceAfterEndorsement,
  summariseMilestones,
  type Signature,
} from "../../src/core/dissent.ts";

const day = (d: number) => new Date(Date.UTC(2025, 2, d, 12));
const sig = (participantId: string, d: number): Signature => ({ participantId, signedAt: day(d) });

test("minority report: the author counts, and it is published when signers reach the threshold", () => {
  const gathering = minorityReportStatus({ authorId: "author", createdAt: day(1), signatures: [sig("b", 2)], threshold: 3 });
  assert.deepEqual(gathering, { status: "gathering", signers: 2, needed: 1 });
  const published = minorityReportStatus({ authorId: "author", createdAt: day(1), signatures: [sig("c", 4), sig("b", 2), sig("d", 5)], threshold: 3 });
  // author (1st), b on day 2, c on day 4 reaches 3
  assert.deepEqual(published, { status: "published", signers: 4, publishedAt: day(4) });
});

test("minority report: a second signature by the same participant is refused and not counted", () => {
  assert.deepEqual(canSign("author", [sig("b", 2)], "b"), { ok: false, reason: "already_signed" });
  assert.deepEqual(canSign("author", [sig("b", 2)], "author"), { ok: false, reason: "already_signed" });
  assert.deepEqual(canSign("author", [sig("b", 2)], "c"), { ok: true });
  const status = minorityReportStatus({ authorId: "author", createdAt: day(1), signatures: [sig("b", 2), sig("b", 3), sig("author", 3)], threshold: 3 });
  assert.equal(status.status, "gathering");
});

test("demand threshold: 10% of participants, at least one", () => {
  assert.equal(endorsementsNeeded(200, 0.1), 20);
  assert.equal(endorsementsNeeded(35, 0.1), 4);
  assert.equal(endorsementsNeeded(3, 0.1), 1);
  assert.throws(() => endorsementsNeeded(10, 0), RangeError);
});

test("a demand becomes owed when the threshold is crossed, and stays owed as participants join", () => {
  assert.equal(owedSinceAfterEndorsement({ endorsers: 19, participantCount: 200, thresholdShare: 0.1, owedSince: null, at: day(3) }), null);
  assert.deepEqual(owedSinceAfterEndorsement({ endorsers: 20, participantCount: 200, thresholdShare: 0.1, owedSince: null, at: day(3) }), day(3));
  assert.deepEqual(owedSinceAfterEndorsement({ endorsers: 21, participantCount: 400, thresholdShare: 0.1, owedSince: day(3), at: day(6) }), day(3));
});

test("demand status: gathering, owed with deadline, overdue, answered (on time or late)", () => {
  const base = { endorsers: 20, needed: 20, answerDays: 14 };
  assert.deepEqual(demandStatus({ ...base, endorsers: 5, owedSince: null, answeredAt: null, now: day(20) }), { status: "gathering", endorsers: 5, needed: 20 });
  assert.deepEqual(demandStatus({ ...base, owedSince: day(3), answeredAt: null, now: day(10) }), { status: "owed", owedSince: day(3), deadline: day(17) });
  assert.deepEqual(demandStatus({ ...base, owedSince: day(3), answeredAt: null, now: day(18) }), { status: "overdue", owedSince: day(3), deadline: day(17) });
  assert.deepEqual(demandStatus({ ...base, owedSince: day(3), answeredAt: day(16), now: day(18) }), { status: "answered", answeredAt: day(16), late: false });
  assert.deepEqual(demandStatus({ ...base, owedSince: day(3), answeredAt: day(19), now: day(20) }), { status: "answered", answeredAt: day(19), late: true });
  assert.deepEqual(answerDeadline(day(1), 7), day(8));
});

test("progress moves forward, declines need a reason, done and declined are final", () => {
  assert.deepEqual(checkProgressTransition("open", "acknowledged"), { ok: true });
  assert.deepEqual(checkProgressTransition("in_progress", "acknowledged"), { ok: false, reason: "invalid_transition" });
  assert.deepEqual(checkProgressTransition("acknowledged", "declined"), { ok: false, reason: "reason_required" });
  assert.deepEqual(checkProgressTransition("acknowledged", "declined", "out of our budget this year"), { ok: true });
  assert.deepEqual(checkProgressTransition("done", "in_progress"), { ok: false, reason: "invalid_transition" });
});

test("milestones: done count and overdue ones", () => {
  const summary = summariseMilestones(
    [
      { title: "publish audit", dueAt: day(5), doneAt: day(4) },
      { title: "retrain filter", dueAt: day(8), doneAt: null },
      { title: "report back", dueAt: day(30), doneAt: null },
      { title: "open call", dueAt: null, doneAt: null },
    ],
    day(10),
  );
  assert.deepEqual(summary, { total: 4, done: 1, overdue: ["retrain filter"] });
});

test("a demand's author cannot endorse it; anyone else endorses once", () => {
  const at = (participantId: string) => ({ participantId, signedAt: new Date(0) });
  assert.deepEqual(canEndorse("author", [], "author"), { ok: false, reason: "own_demand" });
  assert.deepEqual(canEndorse("author", [at("b")], "b"), { ok: false, reason: "already_signed" });
  assert.deepEqual(canEndorse("author", [at("b")], "c"), { ok: true });
});
