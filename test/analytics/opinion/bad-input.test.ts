/** Malformed Polis exports and degenerate conversations: typed errors naming file and line, never NaN. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { computeOpinionMap } from "../../../src/analytics/opinion/map.ts";
import { OpinionInputError } from "../../../src/analytics/opinion/matrix.ts";
import { PolisFormatError, readPolisExport, readPolisGoldenCase } from "../../../src/connectors/polis/index.ts";

const COMMENTS = "timestamp,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,0,0,0,0,1,First\n2,1,0,0,0,1,Second\n";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "polis-bad-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function expectPolisError(dir: string, file: string, line: number | null, fragment: RegExp): void {
  assert.throws(
    () => readPolisExport(dir),
    (error: unknown) => error instanceof PolisFormatError && error.file === file && error.row === line && fragment.test(error.message),
  );
}

test("unknown statement id in votes.csv names the file and line", () => {
  const dir = folder({ "comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,a,1\n2,7,b,1\n" });
  expectPolisError(dir, "votes.csv", 3, /unknown statement id 7/);
});

test("a vote outside {-1, 0, 1} is refused with its line", () => {
  const dir = folder({ "comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,a,1\n2,1,b,2\n" });
  expectPolisError(dir, "votes.csv", 3, /2 is not one of -1, 0, 1/);
});

test("duplicate header columns are refused", () => {
  const dir = folder({ "comments.csv": "comment-id,comment-id,moderated\n0,0,1\n", "votes.csv": "timestamp,comment-id,voter-id,vote\n" });
  expectPolisError(dir, "comments.csv", 1, /duplicate column "comment-id"/);
});

test("participants-votes.csv: unknown statement column and bad cell", () => {
  const unknown = folder({ "comments.csv": COMMENTS, "participants-votes.csv": "participant,group-id,n-votes,0,9\na,,1,1,\n" });
  expectPolisError(unknown, "participants-votes.csv", 1, /unknown statement id 9/);
  const bad = folder({ "comments.csv": COMMENTS, "participants-votes.csv": "participant,group-id,n-votes,0,1\na,,1,1,\nb,,1,x,1\n" });
  expectPolisError(bad, "participants-votes.csv", 3, /"x" is not an integer/);
});

test("missing vote files, empty conversation and a single participant are clear errors", () => {
  expectPolisError(folder({ "comments.csv": COMMENTS }), "votes.csv", null, /neither votes.csv nor participants-votes.csv/);
  expectPolisError(folder({ "comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n" }), "votes.csv", null, /no votes/);
  expectPolisError(folder({ "comments.csv": "comment-id,moderated\n", "votes.csv": "timestamp,comment-id,voter-id,vote\n" }), "votes.csv", null, /no statements/);
  const single = folder({ "comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,a,1\n2,1,a,-1\n" });
  expectPolisError(single, "votes.csv", null, /only 1 participant/);
  expectPolisError(folder({}), "comments.csv", null, /missing file/);
});

test("golden format: a bad vote value names votes.json and the entry", () => {
  const dir = folder({ "comments.json": JSON.stringify([{ tid: 0, txt: "a", mod: 1, is_meta: false }]), "votes.json": JSON.stringify([{ pid: 0, tid: 0, vote: 1 }, { pid: 1, tid: 0, vote: 5 }]) });
  assert.throws(() => readPolisGoldenCase(dir), (e: unknown) => e instanceof PolisFormatError && e.file === "votes.json" && e.row === 2);
});

test("last vote wins in votes.csv, by timestamp", () => {
  const dir = folder({ "comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n5,0,a,1\n3,0,a,-1\n1,0,b,0\n9,0,b,-1\n" });
  const votes = readPolisExport(dir).votes.map((v) => `${v.participant}:${v.vote}`).sort();
  assert.deepEqual(votes, ["a:agree", "b:disagree"]);
});

test("tiny and degenerate conversations give finite results or a typed error, never NaN", () => {
  const tiny = {
    statements: ["s1", "s2"].map((id) => ({ id, moderatedOut: false, isMeta: false })),
    participants: ["a", "b", "c"],
    votes: [
      { participant: "a", statement: "s1", vote: "agree" as const },
      { participant: "b", statement: "s1", vote: "disagree" as const },
      { participant: "c", statement: "s2", vote: "pass" as const },
    ],
  };
  const map = computeOpinionMap(tiny, { seed: 1 });
  const finite = (value: unknown): boolean =>
    typeof value === "number" ? Number.isFinite(value) : typeof value === "object" && value !== null ? Object.values(value).every(finite) : true;
  assert.ok(finite(map), "every number is finite");
  assert.equal(map.groups.reduce((n, g) => n + g.participants.length, 0), 3);
  const unanimous = { ...tiny, votes: tiny.votes.map((v) => ({ ...v, vote: "agree" as const })) };
  assert.ok(Object.values(computeOpinionMap(unanimous, { seed: 1 }).projections).flat().every(Number.isFinite));
  assert.throws(() => computeOpinionMap({ ...tiny, participants: ["a"], votes: tiny.votes.slice(0, 1) }, { seed: 1 }), OpinionInputError);
  assert.throws(() => computeOpinionMap({ ...tiny, votes: [] }, { seed: 1 }), OpinionInputError);
});
