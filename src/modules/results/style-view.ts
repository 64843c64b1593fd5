/**
 * Style control for a stored evaluation: the style of every stored response (analytics/style-features.ts),
 * the counted pairwise judgments that show two responses grouped by (pair, outcome, responses), and the fit
 * on the results worker thread. Published only past k distinct contributors of pairwise judgments, as the
 * Bradley–Terry board it controls.
 */
import { STYLE_FEATURES, styleCounts } from "../../analytics/results/style-features.ts";
import type { StyleBattles } from "../../analytics/results/style-control.ts";
import type { StyleBoardOptions } from "../../analytics/results/style-control-board.ts";
import { ResultsError } from "../../analytics/results/types.ts";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { contributorMarker } from "../../core/k-anonymity.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import type { Board } from "../../core/charter.ts";
import { COUNTED, VERSION } from "./queries.ts";
import { styleControlOffThread } from "./rules-thread.ts";

const SCORES: Readonly<Record<PairwiseOutcome, number>> = { a: 1, b: 0, tie: 0.5, both_bad: 0.5 };

interface StyledJudgmentRow {
  subject_a: string;
  subject_b: string;
  outcome: PairwiseOutcome;
  response_a: string;
  response_b: string;
  n: number;
  /** distinct people behind all the rows (the same on every row) */
  contributors: number;
}

/**
 * Counted pairwise judgments with the stored response each side was shown, grouped (one row per distinct battle),
 * with the distinct people behind them read by the same statement: the fit is gated on the people it is made from,
 * a subset of the pairwise contributors (only judgments showing two stored responses).
 */
async function styledJudgments(db: Queryable, evaluationId: string, board: Board): Promise<StyledJudgmentRow[]> {
  const { rows } = await db.query<StyledJudgmentRow>(
    `WITH styled AS (
       SELECT j.participant_id, j.subject_a, j.subject_b, j.outcome, ra.id AS response_a, rb.id AS response_b
         FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
         JOIN responses ra ON ra.id = ANY (j.response_ids) AND ra.subject_id = j.subject_a
         JOIN responses rb ON rb.id = ANY (j.response_ids) AND rb.subject_id = j.subject_b
        WHERE j.evaluation_id = $1 AND ${VERSION[board]} AND j.kind = 'pairwise' AND j.subject_a <> j.subject_b AND ${COUNTED})
     SELECT subject_a, subject_b, outcome, response_a, response_b, count(*)::int AS n, (SELECT count(DISTINCT participant_id) FROM styled)::int AS contributors
       FROM styled GROUP BY 1, 2, 3, 4, 5`,
    [evaluationId],
  );
  return rows;
}

async function responseTexts(db: Queryable, evaluationId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; text: string }>("SELECT id, text FROM responses WHERE evaluation_id = $1 AND id = ANY ($2::uuid[])", [evaluationId, ids]);
  return new Map(rows.map((r) => [r.id, r.text]));
}

/** The battles the style fit reads, and the distinct people behind them; null when there is none. */
async function styleBattles(db: Queryable, evaluationId: string, names: ReadonlyMap<string, string>, board: Board): Promise<{ battles: StyleBattles; contributors: number } | null> {
  const rows = await styledJudgments(db, evaluationId, board);
  if (rows.length === 0) return null;
  const texts = await responseTexts(db, evaluationId, [...new Set(rows.flatMap((r) => [r.response_a, r.response_b]))]);
  const style = new Map([...texts].map(([id, text]) => [id, styleCounts(text)]));
  const subjects = [...new Set(rows.flatMap((r) => [names.get(r.subject_a) ?? r.subject_a, names.get(r.subject_b) ?? r.subject_b]))].sort();
  const index = new Map(subjects.map((name, i) => [name, i]));
  const idx = (id: string) => index.get(names.get(id) ?? id) ?? 0;
  const column = (side: "response_a" | "response_b", f: number) => Float64Array.from(rows, (r) => style.get(r[side])?.[STYLE_FEATURES[f] ?? "length"] ?? 0);
  const battles = {
    subjects,
    a: Int32Array.from(rows, (r) => idx(r.subject_a)),
    b: Int32Array.from(rows, (r) => idx(r.subject_b)),
    scoreA: Float64Array.from(rows, (r) => SCORES[r.outcome]),
    weight: Float64Array.from(rows, (r) => r.n),
    styleA: STYLE_FEATURES.map((_, f) => column("response_a", f)),
    styleB: STYLE_FEATURES.map((_, f) => column("response_b", f)),
  };
  return { battles, contributors: rows[0]?.contributors ?? 0 };
}

/** The `styleControl` part of the results: the fit, or what hides it, or why there is none. */
/** Counted on the headline board (blind or revised votes), as the board it controls. */
export async function styleControlView(db: Queryable, evaluationId: string, names: ReadonlyMap<string, string>, board: Board, pairwiseContributors: number, k: number, options: StyleBoardOptions) {
  const marker = contributorMarker(pairwiseContributors, k);
  if (marker) return { result: null, suppressed: marker, reason: null };
  const read = await styleBattles(db, evaluationId, names, board);
  if (!read || read.battles.subjects.length < 2) return { result: null, reason: "no counted pairwise judgment shows two stored responses of different subjects" };
  // the fit's own people: fewer than k of them behind the judgments that show stored responses hide it too
  const own = contributorMarker(read.contributors, k);
  if (own) return { result: null, suppressed: own, reason: null };
  try {
    return { result: await styleControlOffThread(read.battles, options), reason: null };
  } catch (error) {
    // e.g. the anchor has no judgment showing stored responses: said, not a failure of the whole results
    if (error instanceof ResultsError) return { result: null, reason: error.message };
    throw error;
  }
}

