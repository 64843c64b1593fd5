import { test } from "node:test";
import assert from "node:assert/strict";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { writeJudgmentsCsv } from "../../../src/connectors/exporters/csv.ts";
import { writeFastChatBattles, type FastChatBattle } from "../../../src/connectors/exporters/fastchat.ts";
import { writeHuggingFaceDataset } from "../../../src/connectors/exporters/huggingface.ts";
import { writeJudgmentsJsonl } from "../../../src/connectors/exporters/jsonl.ts";
import { pseudonymise, type ExportedJudgment, type ExportResult } from "../../../src/connectors/exporters/rows.ts";
import { PARTICIPANT_IDS, SALT_1, SALT_2, SAMPLE_ROWS } from "./sample-rows.ts";

function file(result: ExportResult, path: string): string {
  const found = result.files.find((f) => f.path === path);
  assert.ok(found, `missing ${path}`);
  return found.content;
}

/** A plain JSON Lines reader: split lines, JSON.parse each non-empty one. */
function readJsonl(content: string): ExportedJudgment[] {
  return content.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as ExportedJudgment);
}

const hfCard = {
  title: "Capital cities, community judgments",
  evaluationId: "ev-42",
  licence: "cc-by-4.0",
  scope: "research" as const,
  recipient: "University of Somewhere, NLP group",
  purpose: "Study disagreement about\nfactual answers",
  exportedAt: new Date("2025-04-01T00:00:00Z"),
  excluded: [
    { reason: "consent_not_granted", count: 12 },
    { reason: "consent_revoked", count: 3 },
  ],
  languages: ["en"],
};

test("pseudonyms: stable within an export, different across salts, refused with a short salt", () => {
  assert.equal(pseudonymise("ana", SALT_1), pseudonymise("ana", SALT_1));
  assert.notEqual(pseudonymise("ana", SALT_1), pseudonymise("ana", SALT_2));
  assert.match(pseudonymise("ana", SALT_1), /^p_[0-9a-f]{32}$/);
  assert.throws(() => pseudonymise("ana", "short"), RangeError);
});

test("JSONL: every judgment kind read back by a plain JSONL reader, no raw participant id", () => {
  const exported = writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_1 });
  const content = file(exported, "judgments.jsonl");
  const records = readJsonl(content);
  assert.deepEqual(records.map((r) => r.judgment.kind), ["pairwise", "pairwise", "pairwise", "rating", "ranking", "abstention", "contest"]);
  assert.deepEqual(records[6]?.judgment, SAMPLE_ROWS[6]?.judgment);
  assert.equal(records[0]?.created_at, "2025-03-01T10:00:00.250Z");
  assert.equal(records[0]?.participant_id, records[3]?.participant_id, "the same person keeps one pseudonym in an export");
  for (const id of PARTICIPANT_IDS) assert.ok(!content.includes(`"${id}"`), `raw id ${id} leaked`);
  assert.match(exported.contentHash, /^[0-9a-f]{64}$/);
});

test("two exports with different salts share no participant id", () => {
  const first = new Set(readJsonl(file(writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_1 }), "judgments.jsonl")).map((r) => r.participant_id));
  const second = new Set(readJsonl(file(writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_2 }), "judgments.jsonl")).map((r) => r.participant_id));
  assert.equal(first.size, 4);
  assert.equal(second.size, 4);
  assert.deepEqual([...first].filter((id) => second.has(id)), []);
});

test("content hash: same input, same hash; a different salt changes it", () => {
  const a = writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_1 });
  const b = writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_1 });
  const c = writeJudgmentsJsonl(SAMPLE_ROWS, { salt: SALT_2 });
  assert.equal(a.contentHash, b.contentHash);
  assert.notEqual(a.contentHash, c.contentHash);
});

test("CSV: parsed back with csv-parse, quotes and newlines intact, kind columns filled", () => {
  const records = parseCsv(file(writeJudgmentsCsv(SAMPLE_ROWS, { salt: SALT_1 }), "judgments.csv"), { columns: true }) as Record<string, string>[];
  assert.equal(records.length, 7);
  assert.equal(records[0]?.pairwise_outcome, "a");
  assert.equal(records[1]?.pairwise_outcome, "both_bad");
  assert.deepEqual(JSON.parse(records[3]?.rating_scores_json ?? ""), { accuracy: 5, tone: 3 });
  assert.deepEqual(JSON.parse(records[4]?.ranking_order_json ?? ""), [["r2"], ["r1"]]);
  assert.equal(records[6]?.contest_target, "framing");
  assert.equal(records[6]?.reason, "A trivia question says nothing about\nhow the model serves our community.");
  assert.equal(JSON.parse(records[1]?.responses_json ?? "[]")[0].text, 'It is Paris, "the City of Light",\nfamous for its cafés.');
  assert.equal(records[0]?.participant_id, pseudonymise("ana", SALT_1));
});

test("Hugging Face folder: data read back as JSONL; the card's YAML states licence, scope, charter, recipient, purpose, exclusions and configs", () => {
  const exported = writeHuggingFaceDataset(SAMPLE_ROWS, { salt: SALT_1, card: hfCard });
  assert.deepEqual(exported.files.map((f) => f.path).sort(), ["README.md", "data/train.jsonl"]);
  assert.equal(readJsonl(file(exported, "data/train.jsonl")).length, 7);

  const readme = file(exported, "README.md");
  const match = /^---\n([\s\S]*?)\n---\n/.exec(readme);
  assert.ok(match?.[1], "README.md must open with YAML front matter");
  const meta = parseYaml(match[1]) as Record<string, unknown>;
  assert.equal(meta.license, "cc-by-4.0");
  assert.deepEqual(meta.configs, [{ config_name: "default", data_files: [{ split: "train", path: "data/train.jsonl" }] }]);
  assert.deepEqual(meta.size_categories, ["n<1K"]);
  const cp = meta.counterpublic as Record<string, unknown>;
  assert.equal(cp.scope, "research");
  assert.deepEqual(cp.charter_versions, [2]);
  assert.equal(cp.recipient, "University of Somewhere, NLP group");
  assert.equal(cp.purpose, "Study disagreement about\nfactual answers");
  assert.equal(cp.rows, 7);
  assert.deepEqual(cp.excluded, [
    { reason: "consent_not_granted", count: 12 },
    { reason: "consent_revoked", count: 3 },
  ]);
  assert.match(readme, /\| `consent_revoked` \| 3 \|/);
  assert.match(readme, /\*\*Purpose:\*\* Study disagreement about factual answers/);
});

test("FastChat battles: only pairwise judgments, in FastChat's shape; other kinds counted as excluded", () => {
  const exported = writeFastChatBattles(SAMPLE_ROWS, { salt: SALT_1 });
  const battles = JSON.parse(file(exported, "clean_battle.json")) as FastChatBattle[];
  assert.equal(battles.length, 3);
  assert.deepEqual(battles.map((b) => b.winner), ["model_a", "tie (bothbad)", "tie"]);
  assert.deepEqual([battles[1]?.model_a, battles[1]?.model_b], ["beta-13b", "alpha-7b"]);
  assert.deepEqual(battles[0]?.conversation_a, [
    { role: "user", content: "What is the capital of France?" },
    { role: "assistant", content: "Paris is the capital of France." },
  ]);
  assert.equal(battles[0]?.conversation_b[1]?.content, 'It is Paris, "the City of Light",\nfamous for its cafés.');
  assert.equal(battles[0]?.tstamp, Date.UTC(2025, 2, 1, 10, 0, 0, 250) / 1000);
  assert.equal(battles[0]?.question_id, "item-1");
  assert.equal(battles[0]?.judge, pseudonymise("ana", SALT_1));
  assert.deepEqual(exported.excluded, [
    { reason: "rating_not_representable", count: 1 },
    { reason: "ranking_not_representable", count: 1 },
    { reason: "abstention_not_representable", count: 1 },
    { reason: "contest_not_representable", count: 1 },
  ]);
});

test("FastChat: a pairwise row without exactly two responses is refused", () => {
  const broken = { ...SAMPLE_ROWS[0]!, responses: SAMPLE_ROWS[0]!.responses.slice(0, 1) };
  assert.throws(() => writeFastChatBattles([broken], { salt: SALT_1 }), RangeError);
});
