import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../src/connectors/formats/errors.ts";
import { OutputsFormatError, outputsFormatOf, parseOutputs } from "../../src/connectors/formats/outputs.ts";

function problem(run: () => unknown): OutputsFormatError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof OutputsFormatError, String(error));
    return error;
  }
  assert.fail("expected an OutputsFormatError");
}

test("JSONL rows become plain outputs; other fields are kept as extra; blank lines are skipped", () => {
  const content = '{"item":"k8s","subject":"gpt-4","response":"Kubernetes, a plea","duration":6837}\n\n{"item":"qft","subject":"claude-2","response":""}\n';
  assert.deepEqual(parseOutputs(content, "jsonl"), [
    { item: "k8s", subject: "gpt-4", response: "Kubernetes, a plea", extra: { duration: 6837 } },
    { item: "qft", subject: "claude-2", response: "", extra: {} },
  ]);
});

test("CSV with quoted multi-line responses and a column mapping", () => {
  const content = 'slug,model,result\nk8s,GPT 4,"line one\nline two, with a comma"\nqft,Claude v2,"He said ""hi"""\n';
  assert.deepEqual(parseOutputs(content, "csv", { columns: { item: "slug", subject: "model", response: "result" } }), [
    { item: "k8s", subject: "GPT 4", response: "line one\nline two, with a comma", extra: {} },
    { item: "qft", subject: "Claude v2", response: 'He said "hi"', extra: {} },
  ]);
});

test("a missing field names its row and field (JSONL counts lines from 1)", () => {
  const error = problem(() => parseOutputs('{"item":"a","subject":"s","response":"r"}\n{"item":"b","response":"r"}\n', "jsonl"));
  assert.equal(error.problem, "missing_field");
  assert.equal(error.row, 2);
  assert.equal(error.field, "subject");
  assert.match(error.message, /row 2, field "subject"/);
  assert.ok(error instanceof FormatError && error.code === "malformed_file", "callers that handle FormatError handle this too");
});

test("CSV rows are numbered as lines, header included, even after a multi-line cell", () => {
  const content = 'item,subject,response\na,s,"two\nlines"\n,s,r\n';
  const error = problem(() => parseOutputs(content, "csv"));
  assert.equal(error.problem, "empty_field");
  assert.equal(error.field, "item");
  assert.equal(error.row, 4);
});

test("mapped column names are what errors report", () => {
  const error = problem(() => parseOutputs("slug,model\nk8s,gpt\n", "csv", { columns: { item: "slug", subject: "model", response: "result" } }));
  assert.equal(error.field, "result");
  assert.equal(error.row, 2);
});

test("broken input is a typed error, never a crash", () => {
  assert.equal(problem(() => parseOutputs('{"item": "a",\n', "jsonl")).problem, "invalid_json");
  assert.equal(problem(() => parseOutputs('["a","b","c"]\n', "jsonl")).problem, "not_an_object");
  assert.equal(problem(() => parseOutputs('{"item":["a"],"subject":"s","response":"r"}\n', "jsonl")).problem, "not_text");
  assert.equal(problem(() => parseOutputs("item,subject,response\na,b\n", "csv")).problem, "invalid_csv");
  assert.equal(problem(() => parseOutputs("\n\n", "jsonl")).problem, "no_rows");
});

test("format from file name", () => {
  assert.equal(outputsFormatOf("outputs.JSONL"), "jsonl");
  assert.equal(outputsFormatOf("a.ndjson"), "jsonl");
  assert.equal(outputsFormatOf("a.csv"), "csv");
  assert.equal(outputsFormatOf("a.txt"), null);
});
