/**
 * The draw as the server runs it, end to end: the common path proposes a battle without reading the participant's
 * history and lets the database refuse one they were served, then draws exactly from what is left. Rejection
 * sampling in two steps still yields src/core/draw.ts's distribution conditioned on "not seen". With no judgments
 * in the evaluation every pair weighs the same (w = 1), so a participant who was served two of the six (item,
 * pair) options must get each of the other four with probability 1/4, and never one of the two.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const TRIALS = 200;
// χ² with 3 degrees of freedom: P(χ² > 16.27) = 0.001
const CRITICAL = 16.27;

test(`${TRIALS} first tasks of participants served two of six options: never those two, the other four uniformly (χ², p > 0.001)`, async () => {
  const scenario = await openEvaluation(server.baseUrl);
  await server.pool.query("UPDATE invitations SET max_uses = NULL WHERE token = $1", [scenario.invitation]);
  const { rows: responses } = await server.pool.query<{ id: string; item_id: string; subject_id: string; evaluation_id: string }>(
    "SELECT r.id, r.item_id, r.subject_id, r.evaluation_id FROM responses r JOIN evaluations e ON e.id = r.evaluation_id WHERE e.slug = $1 ORDER BY r.item_id, r.subject_id",
    [scenario.slug],
  );
  const options = responses.flatMap((x) => responses.filter((y) => y.item_id === x.item_id && y.subject_id > x.subject_id).map((y) => ({ item: x.item_id, ids: [x.id, y.id] })));
  assert.equal(options.length, 6);
  const keyOf = (ids: readonly string[]) => [...ids].sort().join(" ");
  const served = options.slice(0, 2);
  const observed = new Map(options.map((o) => [keyOf(o.ids), 0]));
  for (let trial = 0; trial < TRIALS; trial++) {
    const participant = await joinAs(server.baseUrl, scenario);
    const { rows } = await server.pool.query<{ id: string }>(
      "SELECT p.id FROM participants p JOIN consents c ON c.participant_id = p.id WHERE p.evaluation_id = $1 AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.participant_id = p.id)",
      [responses[0]?.evaluation_id],
    );
    assert.equal(rows.length, 1);
    // Served before (and abandoned, so no task is open), sides in either order.
    for (const [k, o] of served.entries()) {
      await server.pool.query(
        "INSERT INTO assignments (token, evaluation_id, participant_id, item_id, mode, response_ids, abandoned_at) VALUES ($1, $2, $3, $4, 'pairwise', $5, now())",
        [`draw-${trial}-${k}`, responses[0]?.evaluation_id, rows[0]?.id, o.item, k % 2 ? [...o.ids].reverse() : o.ids],
      );
    }
    const task = await participant.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    const { rows: drawn } = await server.pool.query<{ response_ids: string[] }>("SELECT response_ids FROM assignments WHERE token = $1", [task.body.token]);
    const key = keyOf(drawn[0]?.response_ids ?? []);
    observed.set(key, (observed.get(key) ?? 0) + 1);
  }
  for (const o of served) assert.equal(observed.get(keyOf(o.ids)), 0, "an option served before was served again");
  const expected = TRIALS / 4;
  const chi = options.slice(2).reduce((sum, o) => sum + ((observed.get(keyOf(o.ids)) ?? 0) - expected) ** 2 / expected, 0);
  assert.ok(chi < CRITICAL, `χ² = ${chi.toFixed(2)} on 3 df over ${JSON.stringify([...observed.values()])}`);
});
