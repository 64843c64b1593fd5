import assert from "node:assert/strict";
import { test } from "node:test";
import { assertBootstrapAllowed, asksBeyondPublicBootstrap, DEFAULT_BOOTSTRAP_ROUNDS, MAX_BOOTSTRAP_ROUNDS } from "../../src/core/bootstrap-budget.ts";
import { AppError } from "../../src/core/errors.ts";

function refusal(fn: () => void): AppError<string> {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail("expected a refusal");
}

test("the public may ask for the default bootstrap or less, with the default seed", () => {
  for (const role of [null, "participant"] as const) {
    assertBootstrapAllowed(role, {});
    assertBootstrapAllowed(role, { rounds: DEFAULT_BOOTSTRAP_ROUNDS, seed: 0 });
    assertBootstrapAllowed(role, { rounds: 50 });
  }
  assert.equal(asksBeyondPublicBootstrap({}), false);
  assert.equal(asksBeyondPublicBootstrap({ rounds: DEFAULT_BOOTSTRAP_ROUNDS, seed: 0 }), false);
  assert.equal(asksBeyondPublicBootstrap({ rounds: DEFAULT_BOOTSTRAP_ROUNDS + 1 }), true);
  assert.equal(asksBeyondPublicBootstrap({ seed: 7 }), true);
});

test("the public may not ask for more rounds than the default, nor another seed: 400 naming the field and the rule", () => {
  const rounds = refusal(() => assertBootstrapAllowed(null, { rounds: 5000 }));
  assert.equal(rounds.code, "validation_failed");
  assert.equal(rounds.field, "rounds");
  assert.equal(rounds.rule, "public_rounds_limit");
  const seed = refusal(() => assertBootstrapAllowed("participant", { seed: 12345 }));
  assert.equal(seed.field, "seed");
  assert.equal(seed.rule, "public_default_seed");
});

test("organisers and observers may go up to the maximum with any seed, not beyond", () => {
  for (const role of ["organiser", "observer"] as const) assertBootstrapAllowed(role, { rounds: MAX_BOOTSTRAP_ROUNDS, seed: 99 });
  assert.equal(refusal(() => assertBootstrapAllowed("organiser", { rounds: MAX_BOOTSTRAP_ROUNDS + 1 })).rule, "max_rounds");
});
