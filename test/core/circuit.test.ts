import assert from "node:assert/strict";
import { test } from "node:test";
import { admission, afterFailure, afterSuccess, claimProbe, CLOSED, cooldownMs, DEFAULT_CIRCUIT_POLICY, organiserReason, phaseOf, publicReason } from "../../src/core/circuit.ts";

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

test("opens after the threshold, cools down for longer each time, lets one probe through half-open, closes on success", () => {
  let state = CLOSED;
  for (let i = 0; i < DEFAULT_CIRCUIT_POLICY.failureThreshold - 1; i += 1) state = afterFailure(state, at(0), { kind: "unreachable" });
  assert.equal(phaseOf(state, at(0)), "closed");
  state = afterFailure(state, at(0), { kind: "unreachable" });
  assert.equal(phaseOf(state, at(0)), "open");
  assert.equal(admission(state, at(29_999)), "wait");
  assert.equal(admission(state, at(30_000)), "probe");
  state = claimProbe(state, at(30_000));
  assert.equal(admission(state, at(30_001)), "wait", "one probe at a time");
  state = afterFailure(state, at(31_000), { kind: "unreachable" });
  assert.equal(state.openings, 2);
  assert.equal(state.openUntil?.getTime(), at(31_000 + 60_000).getTime(), "the cool-down doubled");
  assert.equal(afterSuccess(), CLOSED);
  assert.equal(cooldownMs(20), DEFAULT_CIRCUIT_POLICY.maxCooldownMs, "capped");
});

test("failures no retry cures open at once; a rate limit waits at least as long as asked; a refused prompt does not count", () => {
  assert.equal(phaseOf(afterFailure(CLOSED, at(0), { kind: "forbidden_address" }), at(0)), "open");
  assert.equal(phaseOf(afterFailure(CLOSED, at(0), { kind: "auth" }), at(0)), "open");
  let state = CLOSED;
  for (let i = 0; i < 3; i += 1) state = afterFailure(state, at(0), { kind: "rate_limited", retryAfterMs: 120_000 });
  assert.equal(state.openUntil?.getTime(), at(120_000).getTime());
  const abandoned = claimProbe(afterFailure(CLOSED, at(0), { kind: "auth" }), at(30_000));
  assert.equal(admission(abandoned, at(30_000 + DEFAULT_CIRCUIT_POLICY.probeTimeoutMs)), "probe", "a probe that never reported back expires");
});

test("reasons: a fixed phrase for the public, kind and status for organisers, never the endpoint's text", () => {
  assert.equal(publicReason("unreachable"), "the system is not answering");
  assert.equal(publicReason("something new"), "the system is not answering");
  assert.match(organiserReason({ kind: "auth", status: 401 }), /^auth \(HTTP 401\): /);
});
