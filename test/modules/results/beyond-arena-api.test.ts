/**
 * Slices, bridging, the cost to manipulate a rank and vote anomalies through the results API, on planted data
 * inserted in PostgreSQL: what the public sees, what organisers see, and that no figure depends on ids.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import type { IndividualVotes } from "../../../src/analytics/results/individual-votes.ts";
import { plantedVotes, type PlantedVoter } from "../../analytics/planted.ts";
import { Client, signUp, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let organiser: Client;
before(async () => {
  server = await startTestServer();
  organiser = await signUp(server.baseUrl);
});
after(async () => server.close());

const SUBJECTS = ["A", "B", "C", "D"];
const LARGE = [1.0, 0.3, -0.4, -0.9];
const SMALL = [-1.0, 0.5, 0.3, 0.2];

interface Planted {
  voters: readonly PlantedVoter[];
  votes: IndividualVotes;
  /** per voter: communities */
  communities?: (voter: number) => string[];
  /** subject ids, in SUBJECTS order (random when absent) */
  subjectIds?: readonly string[];
}

/** An open evaluation holding the planted votes: three items (use cases "benefits" and "tax"), consent to aggregate. */
async function plant(slug: string, planted: Planted, k = 5): Promise<string> {
  const res = await organiser.post("/api/evaluations", { slug, title: slug, charter: { purpose: "planted", sponsor: "tests", kAnonymity: k } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = (await server.pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = $1", [slug])).rows[0]?.id as string;
  const subjectIds = planted.subjectIds ?? SUBJECTS.map(() => randomUUID());
  for (const [i, name] of SUBJECTS.entries()) {
    await server.pool.query("INSERT INTO subjects (id, evaluation_id, name, kind) VALUES ($1, $2, $3, 'model')", [subjectIds[i], id, name]);
  }
  const items: string[] = [];
  const scenarios = [
    { useCase: "benefits", language: "en", tags: ["housing", "urgent"] },
    { useCase: "benefits", language: "EN", tags: ["housing"] },
    { useCase: "tax", language: "es", tags: [] },
  ];
  for (const [i, scenario] of scenarios.entries()) {
    const item = await server.pool.query<{ id: string }>("INSERT INTO items (evaluation_id, external_ref, prompt, scenario) VALUES ($1, $2, 'q', $3) RETURNING id", [id, `q${i}`, JSON.stringify(scenario)]);
    items.push(item.rows[0]?.id as string);
  }
  const participantIds: string[] = [];
  for (const [v, voter] of planted.voters.entries()) {
    const row = await server.pool.query<{ id: string }>("INSERT INTO participants (evaluation_id, pseudonym, communities) VALUES ($1, $2, $3) RETURNING id", [id, voter.key, planted.communities?.(v) ?? []]);
    participantIds.push(row.rows[0]?.id as string);
  }
  await server.pool.query("INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes) SELECT unnest($1::uuid[]), $2, 1, '{aggregate}'", [participantIds, id]);
  const { who, a, b, scoreA } = planted.votes;
  await server.pool.query(
    `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, charter_version, consent_scopes)
     SELECT $1, v.participant, v.item, 'pairwise', jsonb_build_object('kind', 'pairwise', 'outcome', v.outcome), v.sa, v.sb, v.outcome, 1, '{aggregate}'
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[]) WITH ORDINALITY AS v(participant, item, sa, sb, outcome, n) ORDER BY v.n`,
    [
      id,
      Array.from(who, (w) => participantIds[w]),
      Array.from(who, (_, k) => items[Math.floor(k / planted.voters.length) % items.length]),
      Array.from(a, (s) => subjectIds[s]),
      Array.from(b, (s) => subjectIds[s]),
      Array.from(scoreA, (s) => (s === 1 ? "a" : s === 0 ? "b" : "tie")),
    ],
  );
  await server.pool.query("UPDATE evaluations SET status = 'open' WHERE id = $1", [id]);
  return id;
}

interface Board {
  rule: string;
  subjects: { name: string; score: number; lower: number | null; upper: number | null; rank: number }[];
}
interface Beyond {
  categories: { dimension: string; slices: { key: string; contributors: number; board: Board | null }[]; hiddenSlices: number; flips: { slices: string[]; flippedCount: number }[] }[];
  bridging: { groups: { id: number; participants: number }[]; hiddenGroups: number; board: { assumption: string; subjects: Board["subjects"] } | null; vsBt: { flippedCount: number } | null; reason: string | null };
  manipulation: { pairs: { upper: string; lower: string; votes: number | null }[]; intoTopTier: { upper: string; lower: string; votes: number | null } | null } | null;
  anomalies: {
    tested: number | null;
    counts: { sequentialOutlier: number | null; any: number | null };
    suppressed?: { reason: string; k: number };
    flagged: { participant: string; reasons: string[]; alsoWithinGroup: boolean | null }[] | null;
    boardWithout: Board | null;
    boardWithoutSuppressed?: { k: number };
  };
}
interface Results {
  rules: Board[];
  agreement: { alpha: number | null; units: number };
  beyondArena: Beyond | null;
}

function camps(large: number, small: number): PlantedVoter[] {
  return [...Array.from({ length: large }, (_, i) => ({ key: `large-${i}`, strengths: LARGE })), ...Array.from({ length: small }, (_, i) => ({ key: `small-${i}`, strengths: SMALL }))];
}

test("bridging through the API: the planted 80 %/20 % camps; groups by size only; A below B on the bridging board, above it on BT", async () => {
  const voters = camps(40, 10);
  await plant("bridging-camps", { voters, votes: plantedVotes(voters, SUBJECTS.length, 2, 7) });
  const res = await new Client(server.baseUrl).get<Results>("/api/evaluations/bridging-camps/results?rule=bt&rounds=50");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const bt = new Map(res.body.rules[0]?.subjects.map((s) => [s.name, s.score]));
  assert.ok((bt.get("A") ?? 0) > (bt.get("B") ?? 0), "raw Bradley–Terry: A above B");
  const bridging = res.body.beyondArena?.bridging;
  assert.ok(bridging?.board, `a bridging board (${bridging?.reason})`);
  const bridged = new Map(bridging.board.subjects.map((s) => [s.name, s.score]));
  assert.ok((bridged.get("A") ?? 0) < (bridged.get("B") ?? 0), "bridging: A below B");
  assert.ok(bridging.board.assumption.includes("counts equally"), "the board states its assumption");
  assert.ok((bridging.vsBt?.flippedCount ?? 0) >= 1, "the flip against BT is reported");
  assert.ok(bridging.groups.length >= 2 && bridging.groups.every((g) => g.participants >= 5), "groups shown only at k or more");
  assert.deepEqual(Object.keys(bridging.groups[0] ?? {}).sort(), ["id", "participants"], "groups by size, never by members");
  const text = JSON.stringify(res.body);
  assert.ok(!text.includes("large-") && !text.includes("small-"), "no pseudonym in the public results");
  // the manipulation costs are in the results, one per pair of neighbours
  assert.equal(res.body.beyondArena?.manipulation?.pairs.length, 3);
  assert.ok(res.body.beyondArena?.manipulation?.pairs.every((p) => (p.votes ?? 0) > 0));
  // and in the card, JSON and Markdown
  const card = await new Client(server.baseUrl).get<{ card: { manipulation: { pairs: unknown[] } | null; bridging: { groupSizes: number[]; subjects: { subject: string }[] } | null } }>("/api/evaluations/bridging-camps/card");
  assert.equal(card.status, 200, JSON.stringify(card.body));
  assert.equal(card.body.card.manipulation?.pairs.length, 3);
  assert.deepEqual(card.body.card.bridging?.groupSizes, bridging.groups.map((g) => g.participants));
  const markdown = await new Client(server.baseUrl).get<string>("/api/evaluations/bridging-camps/card?format=markdown");
  assert.match(String(markdown.body), /## Cost to manipulate a rank[\s\S]*added votes needed/);
  assert.match(String(markdown.body), /## Bridging across opinion groups/);
});

test("categories: a board per use case with its own intervals; a use case below k is hidden with its complement", async () => {
  const voters: PlantedVoter[] = Array.from({ length: 12 }, (_, i) => ({ key: `v${i}`, strengths: [0.3, 0.1, -0.1, -0.3] }));
  const communities = (v: number) => (v < 9 ? ["nurses"] : ["teachers"]);
  await plant("slices", { voters, votes: plantedVotes(voters, SUBJECTS.length, 6, 2), communities });
  const res = await new Client(server.baseUrl).get<Results>("/api/evaluations/slices/results?rule=bt&rounds=50");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const dims = new Map(res.body.beyondArena?.categories.map((d) => [d.dimension, d]));
  const useCase = dims.get("useCase");
  assert.deepEqual(useCase?.slices.map((s) => s.key).sort(), ["benefits", "tax"], "both use cases have 12 contributors");
  for (const slice of useCase?.slices ?? []) {
    assert.ok(slice.board?.subjects.every((s) => s.lower !== null && s.upper !== null && s.lower <= s.score && s.score <= s.upper), `${slice.key}: intervals`);
  }
  assert.equal(useCase?.flips.length, 1, "the two use cases compared");
  assert.deepEqual(dims.get("language")?.slices.map((s) => s.key).sort(), ["en", "es"], "languages compared case-insensitively");
  // tags overlap (an item has several): "housing" and "urgent" each have 12 contributors; the untagged item is one more group
  assert.deepEqual(dims.get("tag")?.slices.map((s) => s.key).sort(), ["housing", "urgent"]);
  // 9 nurses and 3 teachers with k = 5: teachers hidden, and nurses too (complementary: else 12 − 9 recovers them)
  const community = dims.get("community");
  assert.equal(community?.slices.length ?? 0, 0);
  assert.equal(community?.hiddenSlices, 2);
});

test("a planted random voter: organisers see the pseudonym and the board without; the public sees neither below k", async () => {
  const voters: PlantedVoter[] = [...Array.from({ length: 20 }, (_, i) => ({ key: `honest-${i}`, strengths: [1.2, 0.4, -0.4, -1.2] })), { key: "random-voter", strengths: null }];
  await plant("anomalies", { voters, votes: plantedVotes(voters, SUBJECTS.length, 8, 4) });
  const own = await organiser.get<Results>("/api/evaluations/anomalies/results?rule=bt&rounds=50");
  assert.equal(own.status, 200, JSON.stringify(own.body));
  const anomalies = own.body.beyondArena?.anomalies;
  const flagged = anomalies?.flagged ?? [];
  const random = flagged.find((f) => f.participant === "random-voter");
  assert.ok(random?.reasons.includes("sequential_outlier"), `flagged: ${JSON.stringify(flagged)}`);
  assert.equal(typeof random?.alsoWithinGroup, "boolean", "the flag is read again against the voter's own opinion group");
  assert.ok(flagged.length <= 3, "honest voters are rarely flagged");
  assert.ok(anomalies?.boardWithout, "organisers see the board without the flagged participants");
  assert.equal(own.body.rules[0]?.subjects.length, 4, "and the published board still counts every vote (nothing dropped)");
  const pub = await new Client(server.baseUrl).get<Results>("/api/evaluations/anomalies/results?rule=bt&rounds=50");
  const open = pub.body.beyondArena?.anomalies;
  assert.equal(open?.flagged, null, "no list for the public");
  assert.equal(open?.counts.any, null, "fewer than k flagged: no count");
  assert.equal(open?.suppressed?.k, 5);
  assert.equal(open?.boardWithout, null, "the board without fewer than k people would difference them out");
  assert.equal(open?.boardWithoutSuppressed?.k, 5);
  assert.ok(!JSON.stringify(pub.body).includes("random-voter"));
});

test("every published figure is the same when the subjects' ids are relabelled (α included)", async () => {
  const voters = camps(16, 6);
  const votes = plantedVotes(voters, SUBJECTS.length, 3, 9);
  // the subjects sort A < B < C < D by id in one install and C < A < D < B in the other: some pairs keep their
  // orientation by id and some flip (flipping all of them would leave nominal α unchanged by symmetry)
  const ascending = SUBJECTS.map((_, i) => `00000000-0000-4000-8000-00000000000${i + 1}`);
  const permuted = [2, 4, 1, 3].map((rank) => `00000000-0000-4000-9000-00000000000${rank}`);
  const communities = (v: number) => [v % 2 === 0 ? "east" : "west"];
  await plant("ids-up", { voters, votes, subjectIds: ascending, communities });
  await plant("ids-down", { voters, votes, subjectIds: permuted, communities });
  const read = async (slug: string) => {
    const res = await new Client(server.baseUrl).get<Results & { evaluation: unknown; dissent: { byItem: { key: string }[] } }>(`/api/evaluations/${slug}/results?rounds=40&by=community`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const refs = new Map((await server.pool.query<{ id: string; external_ref: string }>("SELECT id, external_ref FROM items")).rows.map((r) => [r.id, r.external_ref]));
    const byItem = res.body.dissent.byItem.map((row) => ({ ...row, key: refs.get(row.key) ?? row.key })).sort((x, y) => x.key.localeCompare(y.key));
    return { ...res.body, evaluation: null, dissent: { ...res.body.dissent, byItem } };
  };
  const up = await read("ids-up");
  const down = await read("ids-down");
  assert.ok(up.agreement.units > 0 && up.agreement.alpha !== null, "α is computed");
  assert.deepEqual(down, up);
});
