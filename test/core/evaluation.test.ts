import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../../src/core/errors.ts";
import { assertSomethingToJudge } from "../../src/core/evaluation.ts";

test("an evaluation opens only with an item answered twice, or two live subjects", () => {
  assert.doesNotThrow(() => assertSomethingToJudge({ itemsAnsweredTwice: 1, liveSubjects: 0 }));
  assert.doesNotThrow(() => assertSomethingToJudge({ itemsAnsweredTwice: 0, liveSubjects: 2 }));
  for (const facts of [{ itemsAnsweredTwice: 0, liveSubjects: 0 }, { itemsAnsweredTwice: 0, liveSubjects: 1 }]) {
    assert.throws(
      () => assertSomethingToJudge(facts),
      (error: unknown) => error instanceof AppError && error.code === "nothing_to_judge" && error.field === "status" && error.rule === "something_to_judge",
    );
  }
});
