import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import { writePolisCsv, type StatementExportRow, type StatementVote, type StatementVoteExportRow } from "../../../src/connectors/exporters/polis.ts";
import { SALT_1, SALT_2 } from "./sample-rows.ts";

const t = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute));

const statements: StatementExportRow[] = [
  { statementId: "s-b", authorId: "ana", text: "The model should cite sources.", createdAt: t(2), moderation: "accepted" },
  { statementId: "s-a", authorId: "ben", text: 'Refusals, "when justified", are fine', createdAt: t(1), moderation: "accepted" },
  { statementId: "s-c", authorId: "ana", text: "Off-topic advert", createdAt: t(3), moderation: "rejected" },
];
const votes: StatementVoteExportRow[] = [
  { statementId: "s-a", participantId: "ana", vote: "agree", votedAt: t(5) },
  { statementId: "s-a", participantId: "chen", vote: "disagree", votedAt: t(6) },
  { statementId: "s-a", participantId: "chen", vote: "agree", votedAt: t(9) }, // chen changes mind: last vote wins
  { statementId: "s-b", participantId: "ben", vote: "pass", votedAt: t(7) },
  { statementId: "s-b", participantId: "chen", vote: "disagree", votedAt: t(8) },
];

function files(salt: string) {
  const exported = writePolisCsv({ statements, votes }, { salt });
  const get = (path: string) => parseCsv(exported.files.find((f) => f.path === path)?.content ?? "", { columns: true }) as Record<string, string>[];
  return { comments: get("comments.csv"), votes: get("votes.csv") };
}

test("Polis comments.csv: Polis's columns, ids by creation time, moderation, last-vote counts", () => {
  const { comments } = files(SALT_1);
  assert.deepEqual(Object.keys(comments[0] ?? {}), ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]);
  assert.deepEqual(comments.map((c) => c["comment-body"]), ['Refusals, "when justified", are fine', "The model should cite sources.", "Off-topic advert"]);
  assert.deepEqual(comments.map((c) => c["comment-id"]), ["0", "1", "2"]);
  assert.deepEqual(comments.map((c) => [c.agrees, c.disagrees]), [["2", "0"], ["0", "1"], ["0", "0"]]);
  assert.deepEqual(comments.map((c) => c.moderated), ["1", "1", "-1"]);
  assert.equal(comments[0]?.timestamp, String(t(1).getTime()));
  assert.equal(comments[0]?.["author-id"] === comments[1]?.["author-id"], false);
  assert.equal(comments[1]?.["author-id"], comments[2]?.["author-id"], "ana wrote both");
});

test("Polis votes.csv: every vote event, agree = +1, disagree = -1, pass = 0, in time order", () => {
  const exported = files(SALT_1);
  assert.deepEqual(exported.votes.map((v) => v.vote), ["1", "-1", "0", "-1", "1"]);
  assert.deepEqual(exported.votes.map((v) => v["comment-id"]), ["0", "0", "1", "1", "0"]);
  const voterIds = new Set(exported.votes.map((v) => v["voter-id"]));
  assert.equal(voterIds.size, 3);
  for (const id of voterIds) assert.match(id ?? "", /^[0-9]+$/);
});

test("Polis: a vote on a statement outside the export is refused", () => {
  assert.throws(() => writePolisCsv({ statements, votes: [{ statementId: "elsewhere", participantId: "ana", vote: "agree", votedAt: t(1) }] }, { salt: SALT_1 }), RangeError);
});

test("Polis: participant numbering follows the salt (different exports are not aligned)", () => {
  const numbering = (salt: string) => files(salt).votes.map((v) => v["voter-id"]).join(",");
  // 3 voters: 6 possible orders; these two salts were checked to give different orders
  assert.notEqual(numbering(SALT_1), numbering(SALT_2));
});

/** the shared data folder beside the repository, or COUNTERPUBLIC_SHARED_DATA */
const BG2050 = path.join(process.env.COUNTERPUBLIC_SHARED_DATA ?? fileURLToPath(new URL("../../../../shared/data", import.meta.url)), "polis", "bg2050-volunteers");
const polisVotes: Record<string, StatementVote> = { "1": "agree", "-1": "disagree", "0": "pass" };

function loadBg2050() {
  const comments = parseCsv(readFileSync(`${BG2050}/comments.csv`), { columns: true }) as Record<string, string>[];
  const voteRows = parseCsv(readFileSync(`${BG2050}/votes.csv`), { columns: true }) as Record<string, string>[];
  const input = {
    statements: comments.map((c): StatementExportRow => ({ statementId: c["comment-id"] ?? "", authorId: `u${c["author-id"]}`, text: c["comment-body"] ?? "", createdAt: new Date(Number(c.timestamp)), moderation: c.moderated === "1" ? "accepted" : c.moderated === "-1" ? "rejected" : "unmoderated" })),
    votes: voteRows.map((v): StatementVoteExportRow => ({ statementId: v["comment-id"] ?? "", participantId: `u${v["voter-id"]}`, vote: polisVotes[v.vote ?? ""] ?? "pass", votedAt: new Date(Number(v.timestamp)) })),
  };
  return { comments, voteRows, input };
}

function countsByComment(content: string): Map<string, [number, number]> {
  const rows = parseCsv(content, { columns: true }) as Record<string, string>[];
  return new Map(rows.map((c) => [`${c.timestamp}|${c["comment-body"]}`, [Number(c.agrees), Number(c.disagrees)]]));
}

const skipReal = !existsSync(BG2050) && `shared Polis data (${BG2050}) not present`;

test("real data: with every_event counts, re-exporting bg2050-volunteers reproduces Polis's own comments.csv counts", { skip: skipReal }, () => {
  const { comments, voteRows, input } = loadBg2050();
  const ours = writePolisCsv(input, { salt: SALT_1, agreeCounts: "every_event" });
  const counts = countsByComment(ours.files.find((f) => f.path === "comments.csv")?.content ?? "");
  assert.equal(counts.size, comments.length);
  for (const c of comments) assert.deepEqual(counts.get(`${c.timestamp}|${c["comment-body"]}`), [Number(c.agrees), Number(c.disagrees)]);
  const ourVotes = parseCsv(ours.files.find((f) => f.path === "votes.csv")?.content ?? "", { columns: true }) as Record<string, string>[];
  assert.equal(ourVotes.length, voteRows.length);
});

test("real data: last-vote counts equal Polis's where nobody voted twice on a comment, and never exceed them", { skip: skipReal }, () => {
  const { comments, voteRows, input } = loadBg2050();
  const counts = countsByComment(writePolisCsv(input, { salt: SALT_1 }).files.find((f) => f.path === "comments.csv")?.content ?? "");
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of voteRows) {
    const key = `${v["comment-id"]}|${v["voter-id"]}`;
    if (seen.has(key)) repeated.add(v["comment-id"] ?? "");
    seen.add(key);
  }
  let differing = 0;
  for (const c of comments) {
    const [agrees, disagrees] = counts.get(`${c.timestamp}|${c["comment-body"]}`) ?? [Number.NaN, Number.NaN];
    assert.ok(agrees <= Number(c.agrees) && disagrees <= Number(c.disagrees));
    if (!repeated.has(c["comment-id"] ?? "")) assert.deepEqual([agrees, disagrees], [Number(c.agrees), Number(c.disagrees)]);
    if (agrees !== Number(c.agrees) || disagrees !== Number(c.disagrees)) differing += 1;
  }
  assert.ok(differing > 0 && differing <= repeated.size);
});
