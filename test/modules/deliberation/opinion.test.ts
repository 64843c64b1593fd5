import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Group {
  id: number;
  suppressed: boolean;
  reason?: string;
  participants?: number;
  representative?: { statementId: string; repfulFor: string }[];
}
interface OpinionView {
  available: boolean;
  reason?: string;
  counts: { participants: number; clustered: number | null };
  groups: Group[];
  you: { inMap: boolean; groupId?: number | null; position?: [number, number] } | null;
}

/** Six statements; camp A agrees with the first three and disagrees with the rest, camp B the opposite. */
async function twoCamps(k: number, sizes: [number, number]) {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: k });
  const statements: string[] = [];
  for (let i = 1; i <= 6; i++) {
    const res = await scenario.organiser.post<{ statement: { id: string } }>(`/api/evaluations/${scenario.slug}/statements`, { text: `Statement number ${i}` });
    statements.push(res.body.statement.id);
  }
  const camp = async (agreeFirstHalf: boolean, size: number, scopes = ["aggregate"]) => {
    const members: Client[] = [];
    for (let m = 0; m < size; m++) {
      const client = await joinAs(server.baseUrl, scenario, scopes);
      for (const [i, id] of statements.entries()) {
        const vote = i < 3 === agreeFirstHalf ? "agree" : "disagree";
        const res = await client.put(`/api/evaluations/${scenario.slug}/statements/${id}/vote`, { vote });
        assert.equal(res.status, 200, JSON.stringify(res.body));
      }
      members.push(client);
    }
    return members;
  };
  return { scenario, statements, campA: await camp(true, sizes[0]), campB: await camp(false, sizes[1]), camp };
}

const opinion = (scenario: Scenario, client: Client) => client.get<OpinionView>(`/api/evaluations/${scenario.slug}/opinion`);

describe("opinion map from stored votes", () => {
  test("groups are published as counts with representative statements; a revoked aggregate consent drops out", async () => {
    const { scenario, statements, campA, campB, camp } = await twoCamps(4, [4, 4]);
    const [revoker] = await camp(true, 1, ["aggregate", "publish"]);
    const before = await opinion(scenario, new Client(server.baseUrl));
    assert.equal(before.body.counts.participants, 9);
    assert.equal((await revoker?.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["aggregate"] }))?.status, 200);

    const map = await opinion(scenario, new Client(server.baseUrl));
    assert.equal(map.status, 200, JSON.stringify(map.body));
    assert.equal(map.body.available, true, JSON.stringify(map.body));
    assert.equal(map.body.counts.participants, 8, "the participant who revoked aggregate is not counted");
    assert.deepEqual(before.body.groups.map((g) => [g.suppressed, g.participants]), [[false, 5], [false, 4]], "the first map: camp A with the revoker, camp B");
    // 5/4 then 4/4 would tell which group the revoker was in: the new update's sizes are withheld (k = 4)
    assert.deepEqual(map.body.groups.map((g) => [g.suppressed, g.reason]), [[true, "differencing"], [true, "differencing"]]);
    assert.equal(map.body.you, null, "an anonymous reader has no position");
    const body = JSON.stringify(map.body);
    for (const id of await participantIds(scenario)) assert.ok(!body.includes(id), "no participant id is published");

    const youA1 = (await opinion(scenario, campA[0] as Client)).body.you;
    const youA2 = (await opinion(scenario, campA[1] as Client)).body.you;
    const youB = (await opinion(scenario, campB[0] as Client)).body.you;
    assert.equal(youA1?.inMap, true);
    assert.equal(youA1?.groupId, youA2?.groupId, "camp A shares a group");
    assert.notEqual(youA1?.groupId, youB?.groupId, "camp B is another group");
    assert.equal(youA1?.position?.length, 2);
    assert.equal((await opinion(scenario, revoker as Client)).body.you?.inMap, false);

    const groupA = before.body.groups.find((g) => g.id === youA1?.groupId);
    assert.ok((groupA?.representative?.length ?? 0) > 0);
    for (const r of groupA?.representative ?? []) {
      const index = statements.indexOf(r.statementId);
      assert.equal(r.repfulFor, index < 3 ? "agree" : "disagree", "camp A agreed with statements 1–3 and disagreed with 4–6");
    }
  });

  test("groups below k show only that they exist; below k voters there is no map", async () => {
    const { scenario } = await twoCamps(5, [5, 3]);
    const map = await opinion(scenario, new Client(server.baseUrl));
    assert.equal(map.body.available, true, JSON.stringify(map.body));
    // Camp B (3 < 5) is hidden; camp A would then be recoverable as total − nothing, so it is hidden too.
    assert.deepEqual(map.body.groups.map((g) => Object.keys(g).sort()), [["id", "reason", "suppressed"], ["id", "reason", "suppressed"]]);
    assert.deepEqual(map.body.groups.map((g) => g.reason).sort(), ["below_k", "complementary"]);

    const small = await twoCamps(10, [2, 2]);
    const none = await opinion(small.scenario, new Client(server.baseUrl));
    assert.equal(none.body.available, false);
    assert.match(none.body.reason ?? "", /fewer than k = 10/);
  });
});

async function participantIds(scenario: Scenario): Promise<string[]> {
  const { rows } = await server.pool.query<{ id: string }>("SELECT p.id FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1", [scenario.slug]);
  return rows.map((r) => r.id);
}

describe("Polis import", () => {
  const comments = [
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body",
    "1,x,0,10,2,1,1,Buses should run all night",
    "2,x,1,11,1,1,0,Fares should be free",
    "3,x,2,12,0,0,-1,Off-topic advert",
  ].join("\n");
  const votes = ["timestamp,datetime,comment-id,voter-id,vote", "1,x,0,10,1", "2,x,0,11,1", "3,x,0,12,-1", "4,x,1,10,1", "5,x,1,11,-1", "6,x,1,10,-1"].join("\n");

  test("an organiser imports comments and votes; moderation states and the last vote are kept", async () => {
    const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
    const res = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/import`, { comments, votes, consentScopes: ["aggregate"] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body, { statements: 3, participants: 3, votes: 5 });
    const list = await scenario.organiser.get<{ statements: { text: string; moderation: string; externalRef: string; votes: { agree: number; disagree: number } | null }[] }>(
      `/api/evaluations/${scenario.slug}/statements`,
    );
    assert.deepEqual(list.body.statements.map((s) => [s.externalRef, s.moderation]), [["polis:0", "accepted"], ["polis:1", "unmoderated"], ["polis:2", "rejected"]]);
    // Voter 10 voted agree then disagree on comment 1: the later vote counts.
    assert.deepEqual(list.body.statements[1]?.votes, { agree: 0, disagree: 2, pass: 0 });
    assert.deepEqual(list.body.statements[0]?.votes, { agree: 2, disagree: 1, pass: 0 });
  });

  test("a bad file, an unoffered scope or a non-organiser is refused and changes no rows", async () => {
    const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
    const participant = await joinAs(server.baseUrl, scenario);
    const path = `/api/evaluations/${scenario.slug}/statements/import`;
    const cases: [Client, Record<string, unknown>, number, string | undefined][] = [
      [scenario.organiser, { comments, votes: votes.replace("6,x,1,10,-1", "6,x,1,10,2"), consentScopes: ["aggregate"] }, 400, "votes"],
      [scenario.organiser, { comments, votes: votes.replace("5,x,1,11,-1", "5,x,9,11,-1"), consentScopes: ["aggregate"] }, 400, "votes"],
      [scenario.organiser, { comments: "comment-body\nno id", votes, consentScopes: ["aggregate"] }, 400, "comments"],
      [scenario.organiser, { comments, votes, consentScopes: ["train_ai"] }, 400, "consentScopes"],
      [participant, { comments, votes, consentScopes: ["aggregate"] }, 403, undefined],
    ];
    for (const [client, body, status, field] of cases) {
      const before = await rowCounts(server.pool);
      const res = await client.post(path, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.contentType, /problem\+json/);
      assert.equal((res.body as { field?: string }).field, field);
      assert.deepEqual(await rowCounts(server.pool), before);
    }
  });
});

test("a Polis export larger than an ordinary request (over 5 MiB) can be uploaded", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const comments = ["timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body", ...Array.from({ length: 120 }, (_, c) => `${1000 + c},${c},0,0,0,1,statement ${c}`)].join("\n");
  const lines = ["timestamp,datetime,comment-id,voter-id,vote"];
  for (let p = 0; p < 1_600; p++) for (let c = 0; c < 120; c++) lines.push(`${2000 + p * 120 + c},Mon Jan 01 2024,${c},${p},${(p + c) % 3 === 0 ? -1 : 1}`);
  const votes = lines.join("\n");
  assert.ok(votes.length > 5 * 1024 * 1024);
  const res = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/import`, { comments, votes, consentScopes: ["aggregate"] });
  assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
  assert.deepEqual(res.body, { statements: 120, participants: 1_600, votes: 192_000 });
});
