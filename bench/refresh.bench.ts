/**
 * Refreshing the results of a stored evaluation holding 1,000,000 pairwise judgments on the embedded
 * PostgreSQL: the judgment snapshot (one scan) and its pair-outcome counts (consent-filtered), the Bradley–Terry fit and 200
 * bootstrap rounds (target ≤ 2 s); then the full results page (every rule, agreement, dissent shares).
 * Run: node --import tsx bench/refresh.bench.ts [judgments]
 */
import os from "node:os";
import { runRules } from "../src/analytics/results/run.ts";
import { NOBODY } from "../src/platform/guards.ts";
import { computeResults } from "../src/modules/results/service.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { readJudgmentSnapshot } from "../src/modules/results/judgment-snapshot.ts";
import { countedPairs } from "../src/modules/results/snapshot-tallies.ts";
import { collapseCounted } from "../src/analytics/results/pairs.ts";
import { benchDatabase } from "./bench-database.ts";

const JUDGMENTS = Number(process.argv[2] ?? 1_000_000);
const SUBJECTS = 60;
const PARTICIPANTS = 2000;

const { pool, close } = await benchDatabase(4);
try {
  await migrate(pool);
  const seedStart = performance.now();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO evaluations (slug, title, status) VALUES ('bench', 'Benchmark', 'open') RETURNING id`,
  );
  const evaluationId = rows[0]?.id as string;
  await pool.query(`INSERT INTO charters (evaluation_id, version, content, content_hash) VALUES ($1, 1, '{"kAnonymity": 10}', 'x')`, [evaluationId]);
  await pool.query(`INSERT INTO subjects (evaluation_id, name, kind) SELECT $1, 'model-' || g, 'model' FROM generate_series(1, ${SUBJECTS}) g`, [evaluationId]);
  await pool.query(`INSERT INTO participants (evaluation_id, pseudonym) SELECT $1, 'p-' || g FROM generate_series(1, ${PARTICIPANTS}) g`, [evaluationId]);
  await pool.query(
    `INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes)
     SELECT id, evaluation_id, 1, CASE WHEN random() < 0.95 THEN '{aggregate}'::text[] ELSE '{}'::text[] END FROM participants`,
  );
  // Subject i has latent strength i/10; outcomes drawn from the Bradley–Terry model with 10% ties.
  await pool.query(
    `WITH s AS (SELECT array_agg(id ORDER BY name) AS ids FROM subjects WHERE evaluation_id = $1),
          p AS (SELECT array_agg(id) AS ids FROM participants WHERE evaluation_id = $1),
          draws AS (SELECT 1 + floor(random() * ${SUBJECTS})::int AS x, 1 + floor(random() * ${SUBJECTS - 1})::int AS y0,
                           1 + floor(random() * ${PARTICIPANTS})::int AS who, random() AS u FROM generate_series(1, ${JUDGMENTS}))
     INSERT INTO judgments (evaluation_id, participant_id, kind, body, subject_a, subject_b, outcome, charter_version, consent_scopes)
     SELECT $1, p.ids[who], 'pairwise', '{"kind":"pairwise"}', s.ids[x], s.ids[CASE WHEN y0 >= x THEN y0 + 1 ELSE y0 END], o.outcome, 1, '{aggregate}'
       FROM draws, s, p,
            LATERAL (SELECT CASE WHEN u < 0.1 THEN 'tie'
                                 WHEN u < 0.1 + 0.9 / (1 + power(10, ((CASE WHEN y0 >= x THEN y0 + 1 ELSE y0 END) - x) / 10.0)) THEN 'a'
                                 ELSE 'b' END AS outcome) o`,
    [evaluationId],
  );
  await pool.query("ANALYZE judgments");
  const seeded = performance.now() - seedStart;

  const times: { aggregate: number; fit: number; total: number }[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const counted = countedPairs(await readJudgmentSnapshot(pool, evaluationId), "revised");
    const t1 = performance.now();
    const names = [...new Set(counted.flatMap((r) => [r.subject_a, r.subject_b]))].sort();
    const index = new Map(names.map((n, i) => [n, i]));
    const pairs = collapseCounted(counted.map((r) => ({ a: index.get(r.subject_a) ?? 0, b: index.get(r.subject_b) ?? 0, outcome: r.outcome, count: r.n })));
    runRules({ subjects: names, pairs }, { rules: ["bt"], rounds: 200, seed: run });
    const t2 = performance.now();
    times.push({ aggregate: t1 - t0, fit: t2 - t1, total: t2 - t0 });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const fullStart = performance.now();
  await computeResults({ pool }, NOBODY, "bench", { rounds: 200 });
  const full = performance.now() - fullStart;

  console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, PostgreSQL 17 (embedded)`);
  console.log(`seeded ${JUDGMENTS.toLocaleString("en")} pairwise judgments over ${SUBJECTS} subjects by ${PARTICIPANTS} participants in ${(seeded / 1000).toFixed(1)} s`);
  console.log(`refresh (median of 5): snapshot and pair counts ${median(times.map((t) => t.aggregate)).toFixed(0)} ms + BT fit and 200 bootstrap rounds ${median(times.map((t) => t.fit)).toFixed(0)} ms = ${median(times.map((t) => t.total)).toFixed(0)} ms (target ≤ 2000 ms)`);
  console.log(`full results page (6 rules incl. Elo over the ordered sequence, agreement, dissent shares, 200 rounds): ${full.toFixed(0)} ms`);
} finally {
  await close();
}
