import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import { neutraliseCell, restoreCell } from "../../../src/core/csv-cell.ts";
import { writeJudgmentsCsv } from "../../../src/connectors/exporters/csv.ts";
import { commentsCsv, votesCsv } from "../../../src/connectors/polis/write-export.ts";
import { readPolisExport } from "../../../src/connectors/polis/read-export.ts";
import { writePolisExport } from "../../../src/connectors/polis/write-export.ts";
import { SALT_1, SAMPLE_ROWS } from "./sample-rows.ts";

test("neutraliseCell: formula-like text gets a leading quote; plain numbers and ordinary text stay as they are", () => {
  for (const cell of ['=HYPERLINK("http://evil","x")', "@SUM(1)", "+1+1", "-2+3", "\t=1", "\r=1", "-", "=", "--flag"]) {
    assert.equal(neutraliseCell(cell), `'${cell}`, JSON.stringify(cell));
    assert.equal(restoreCell(neutraliseCell(cell)), cell);
  }
  for (const cell of ["-1", "+3", "-0.5", "1e-3", "-1.5e+10", "42", "", "plain text", "a=b", "'quoted already", "2025-03-01T10:00:00Z"]) {
    assert.equal(neutraliseCell(cell), cell, JSON.stringify(cell));
    assert.equal(restoreCell(cell), cell);
  }
});

test("judgments.csv: a participant's rationale `=HYPERLINK(...)` or `@SUM(1)` comes out neutralised", () => {
  const [first, second] = SAMPLE_ROWS;
  const rows = [
    { ...first!, rationale: '=HYPERLINK("http://evil","x")' },
    { ...second!, rationale: "@SUM(1)", itemText: "-2+3 is what?" },
  ];
  const content = writeJudgmentsCsv(rows, { salt: SALT_1 }).files[0]?.content ?? "";
  const records = parseCsv(content, { columns: true }) as Record<string, string>[];
  assert.equal(records[0]?.rationale, `'=HYPERLINK("http://evil","x")`);
  assert.equal(records[1]?.rationale, "'@SUM(1)");
  assert.equal(records[1]?.item_text, "'-2+3 is what?");
  assert.equal(records[0]?.charter_version, "2", "numbers untouched");
  for (const record of records) for (const value of Object.values(record)) assert.doesNotMatch(value, /^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/, value);
});

test("Polis CSVs: vote and moderation columns keep `-1`; a formula-like comment is neutralised and reads back as written", () => {
  const comments = commentsCsv(
    [{ id: "0", authorId: "p1", createdAt: 1, agrees: 0, disagrees: 1, moderation: -1, isMeta: false, text: "=cmd|' /C calc'!A0" }],
    ["comment-id", "moderated", "comment-body"],
  );
  assert.deepEqual(parseCsv(comments), [["comment-id", "moderated", "comment-body"], ["0", "-1", "'=cmd|' /C calc'!A0"]]);
  const votes = parseCsv(votesCsv([{ at: 5, statement: "0", participant: "p1", vote: "disagree" } as never])) as string[][];
  assert.equal(votes[1]?.[4], "-1");

  const dir = mkdtempSync(path.join(tmpdir(), "csv-injection-"));
  try {
    const conversation = {
      statements: [{ id: "0", text: "@SUM(1) is not a formula here", authorId: "p1", moderation: 1 as const, isMeta: false, moderatedOut: false, createdAt: null }],
      participants: ["p1", "p2"],
      votes: [
        { at: 5, statement: "0", participant: "p1", vote: "disagree" },
        { at: 6, statement: "0", participant: "p2", vote: "agree" },
      ],
      source: "test",
    };
    writePolisExport(dir, conversation as never);
    assert.equal(readPolisExport(dir).statements[0]?.text, "@SUM(1) is not a formula here");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
