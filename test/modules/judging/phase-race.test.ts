/**
 * The judging path reads the evaluation and then, in a second statement without a transaction, closes the task
 * and records the vote. Judging may pause (deliberation) or the evaluation close between the two: the vote must
 * then be refused, or be recorded before the pause, never after it with the phase it read.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const url = (slug: string, path: string) => `/api/evaluations/${slug}${path}`;

async function lockWaiters(): Promise<number> {
  const { rows } = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
  return rows[0]?.n ?? 0;
}

for (const change of [
  { name: "judging pauses for deliberation", sql: "UPDATE evaluations SET phase = 'deliberate' WHERE slug = $1", refusal: "wrong_phase" },
  { name: "the evaluation closes", sql: "UPDATE evaluations SET status = 'closed' WHERE slug = $1", refusal: "evaluation_not_open" },
]) {
  test(`a vote read before ${change.name} is refused or recorded before it, never after it`, async () => {
    const scenario = await openEvaluation(server.baseUrl);
    const participant = await joinAs(server.baseUrl, scenario);
    const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    assert.equal(served.status, 201);
    const token = served.body.token;
    // Hold the task's row so that the vote's request stops between its read and its write.
    const holder = await server.pool.connect();
    let changedBeforeRelease = false;
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM assignments WHERE token = $1 FOR UPDATE", [token]);
      const voting = participant.post<{ code?: string }>(url(scenario.slug, `/assignments/${token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
      for (let i = 0; i < 200 && (await lockWaiters()) === 0; i++) await sleep(10);
      assert.ok((await lockWaiters()) > 0, "the vote's request waits on the task's row");
      let changed = false;
      const changing = server.pool.query(change.sql, [scenario.slug]).then(() => {
        changed = true;
      });
      await sleep(300);
      changedBeforeRelease = changed;
      await holder.query("ROLLBACK");
      const vote = await voting;
      await changing;
      const { rows } = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments WHERE assignment_token = $1", [token]);
      if (vote.status === 201) {
        assert.equal(changedBeforeRelease, false, `the vote was recorded after ${change.name}`);
        assert.equal(rows[0]?.n, 1);
      } else {
        assert.deepEqual([vote.status, vote.body.code], [409, change.refusal]);
        assert.equal(rows[0]?.n, 0);
        const { rows: open } = await server.pool.query<{ judged: boolean }>("SELECT judged_at IS NOT NULL AS judged FROM assignments WHERE token = $1", [token]);
        assert.equal(open[0]?.judged, false, "a refused vote leaves its task open");
      }
    } finally {
      holder.release();
    }
  });
}

/**
 * The older transactional paths (an abstention or contest on an item; a revision) read the evaluation and write in
 * one transaction: the read share-locks the evaluation's row, so a change of status or phase made while the request
 * is between its check and its write waits for the request to commit. The test stops the request at its write by
 * holding a row the write needs (the item, which the new judgment's foreign key share-locks; the judgment being
 * revised, which the revision locks), changes the evaluation meanwhile, and requires that the change did not
 * commit while the request was held unless the request was refused.
 */
async function raceAgainstChange(options: {
  hold: string;
  holdParams: unknown[];
  request: () => Promise<{ status: number; body: { code?: string } }>;
  change: string;
  slug: string;
  refusal: string;
  written: () => Promise<number>;
}): Promise<void> {
  const before = await options.written();
  const holder = await server.pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query(options.hold, options.holdParams);
    const requesting = options.request();
    for (let i = 0; i < 200 && (await lockWaiters()) === 0; i++) await sleep(10);
    assert.ok((await lockWaiters()) > 0, "the request waits on the held row");
    let changed = false;
    const changing = server.pool.query(options.change, [options.slug]).then(() => {
      changed = true;
    });
    await sleep(300);
    const changedBeforeRelease = changed;
    await holder.query("ROLLBACK");
    const response = await requesting;
    await changing;
    if (response.status === 201) {
      assert.equal(changedBeforeRelease, false, "the request's write committed after the evaluation changed");
      assert.equal(await options.written(), before + 1);
    } else {
      assert.deepEqual([response.status, response.body.code], [409, options.refusal]);
      assert.equal(await options.written(), before);
    }
  } finally {
    holder.release();
  }
}

const judgmentsOf = async (slug: string) => {
  const { rows } = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments j JOIN evaluations e ON e.id = j.evaluation_id WHERE e.slug = $1", [slug]);
  return rows[0]?.n ?? 0;
};

test("a contest of an item read before the evaluation closes is refused or recorded before it, never after it", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const itemId = scenario.items[0]?.id as string;
  await raceAgainstChange({
    hold: "SELECT 1 FROM items WHERE id = $1 FOR UPDATE",
    holdParams: [itemId],
    request: () => participant.post<{ code?: string }>(url(scenario.slug, `/items/${itemId}/judgments`), { judgment: { kind: "contest", target: "framing", reason: "the question hides the council's rules" } }),
    change: "UPDATE evaluations SET status = 'closed' WHERE slug = $1",
    slug: scenario.slug,
    refusal: "evaluation_not_open",
    written: () => judgmentsOf(scenario.slug),
  });
});

test("a revision read before the revise phase ends is refused or recorded before it, never after it", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  const first = await participant.post<{ judgment: { id: string } }>(url(scenario.slug, `/assignments/${served.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
  assert.equal(first.status, 201);
  assert.equal((await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { phase: "revise" })).status, 200);
  await raceAgainstChange({
    hold: "SELECT 1 FROM judgments WHERE id = $1 FOR UPDATE",
    holdParams: [first.body.judgment.id],
    request: () => participant.post<{ code?: string }>(url(scenario.slug, `/judgments/${first.body.judgment.id}/revisions`), { judgment: { kind: "pairwise", outcome: "b" } }),
    change: "UPDATE evaluations SET phase = 'judge' WHERE slug = $1",
    slug: scenario.slug,
    refusal: "wrong_phase",
    written: () => judgmentsOf(scenario.slug),
  });
});
