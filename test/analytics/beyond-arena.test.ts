/** The beyond-Arena analyses on arbitrary small data: they never throw, and nothing shown comes from fewer than k people. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { runBeyondArena } from "../../src/analytics/results/beyond-arena.ts";
import { runBradleyTerry } from "../../src/analytics/results/bt-rule.ts";
import { rowsOfVotes, type IndividualVotes } from "../../src/analytics/results/individual-votes.ts";
import { ResultsError } from "../../src/analytics/results/types.ts";

const vote = fc.record({ who: fc.nat(11), a: fc.nat(4), shift: fc.integer({ min: 1, max: 4 }), score: fc.constantFrom(0, 0.5, 1) });

test("arbitrary votes: no exception; every group, slice and count shown comes from at least k people", () => {
  fc.assert(
    fc.property(fc.array(vote, { minLength: 1, maxLength: 150 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 6 }), (raw, subjectCount, k) => {
      const list = raw.map((v) => ({ ...v, a: v.a % subjectCount, b: (v.a + v.shift) % subjectCount })).filter((v) => v.a !== v.b);
      if (list.length === 0) return;
      const participants = [...new Set(list.map((v) => `p${v.who}`))];
      const votes: IndividualVotes = {
        participants,
        who: Int32Array.from(list, (v) => participants.indexOf(`p${v.who}`)),
        a: Int32Array.from(list, (v) => v.a),
        b: Int32Array.from(list, (v) => v.b),
        scoreA: Float64Array.from(list, (v) => v.score),
      };
      const subjects = Array.from({ length: subjectCount }, (_, i) => `s${i}`);
      const pairs = rowsOfVotes(votes);
      let bt = null;
      try {
        bt = runBradleyTerry({ subjects, pairs }, { rounds: 5, seed: 0 });
      } catch (error) {
        if (!(error instanceof ResultsError)) throw error;
      }
      const byWho = new Map<string, Set<string>>();
      list.forEach((v) => byWho.set(`c${v.who % 3}`, (byWho.get(`c${v.who % 3}`) ?? new Set()).add(`p${v.who}`)));
      const slices = [...byWho].map(([key, people]) => ({ dimension: "community" as const, key, contributors: people.size, rows: rowsOfVotes(votes, (p) => key === `c${Number((participants[p] ?? "p0").slice(1)) % 3}`) }));
      const out = runBeyondArena({ subjects, pairs, bt, k, rounds: 5, seed: 0, slices, votes, leaks: [], joins: [] });
      for (const g of out.bridging.groups) assert.ok(g.participants >= k);
      for (const d of out.categories) for (const s of d.slices) assert.ok(s.contributors >= k);
      for (const [key, n] of Object.entries(out.anomalies.counts)) {
        assert.equal(out.anomalies.countMarkers[key as keyof typeof out.anomalies.counts] === null, n >= k, `${key}: marker iff below k`);
      }
    }),
    { numRuns: 150 },
  );
});
