import assert from "node:assert/strict";
import { test } from "node:test";
import { isEligibleVoter, joinAssurance } from "../../src/core/governance.ts";
import { checkInvitation, usesLeft } from "../../src/core/invitation.ts";

test("one rule decides who counts: joined, with an account, consent and the charter's assurance", () => {
  const base = { hasAccount: true, consented: true } as const;
  assert.deepEqual(isEligibleVoter({ ...base, origin: "imported" }, { identityAssurance: "open_link" }), { eligible: false, reason: "imported" });
  assert.deepEqual(isEligibleVoter({ ...base, origin: "open_link" }, { identityAssurance: "personal_link" }), { eligible: false, reason: "assurance_too_low" });
  assert.deepEqual(isEligibleVoter({ ...base, origin: "open_link" }, {}), { eligible: false, reason: "assurance_too_low" }, "a charter without the field asks for the default, personal_link");
  assert.deepEqual(isEligibleVoter({ ...base, origin: "personal_link" }, { identityAssurance: "personal_link" }), { eligible: true });
  assert.deepEqual(isEligibleVoter({ ...base, origin: "verified_account" }, { identityAssurance: "personal_link" }), { eligible: true });
  assert.deepEqual(isEligibleVoter({ ...base, origin: "personal_link" }, { identityAssurance: "verified_account" }), { eligible: false, reason: "assurance_too_low" });
  assert.deepEqual(isEligibleVoter({ origin: "verified_account", hasAccount: true, consented: false }, { identityAssurance: "open_link" }), { eligible: false, reason: "no_consent" });
  assert.deepEqual(isEligibleVoter({ origin: "verified_account", hasAccount: false, consented: true }, { identityAssurance: "open_link" }), { eligible: false, reason: "no_account" });
});

test("how a join is assured, and when a link admits nobody", () => {
  assert.equal(joinAssurance({ fullAccount: false, invitationMaxUses: 1 }), "personal_link");
  assert.equal(joinAssurance({ fullAccount: false, invitationMaxUses: 100 }), "open_link");
  assert.equal(joinAssurance({ fullAccount: false, invitationMaxUses: null }), "open_link");
  assert.equal(joinAssurance({ fullAccount: true, invitationMaxUses: 100 }), "verified_account");
  const now = new Date("2025-01-01T00:00:00Z");
  const link = { maxUses: 3, uses: 2, expiresAt: new Date("2025-01-02T00:00:00Z"), revokedAt: null };
  assert.deepEqual(checkInvitation(link, now), { ok: true });
  assert.deepEqual(checkInvitation({ ...link, uses: 3 }, now), { ok: false, reason: "used_up" });
  assert.deepEqual(checkInvitation(link, new Date("2025-01-02T00:00:00Z")), { ok: false, reason: "expired" });
  assert.deepEqual(checkInvitation({ ...link, revokedAt: now }, now), { ok: false, reason: "revoked" });
  assert.deepEqual(checkInvitation(undefined, now), { ok: false, reason: "unknown" });
  assert.equal(usesLeft({ maxUses: 3, uses: 2 }), 1);
  assert.equal(usesLeft({ maxUses: null, uses: 2 }), null);
});
