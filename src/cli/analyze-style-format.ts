/** The style-control section of `counterpublic analyze --style-control`: coefficients, both boards, the moves. */
import type { StyleControlResult } from "../analytics/results/style-control.ts";

function fixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

export function formatStyleControl(result: StyleControlResult): string {
  const raw = new Map(result.raw.subjects.map((s) => [s.name, s]));
  const width = Math.max(7, ...result.subjects.map((s) => s.name.length));
  const lines = [
    `== bt-style-control: ${result.used} battles used`,
    `   assumption: ${result.assumption}`,
    ...Object.entries(result.parameters).map(([key, value]) => `   ${key}: ${String(value)}`),
    ...result.warnings.map((w) => `   warning: ${w}`),
    "   style coefficients (logit per standard deviation of (a − b)/(a + b + 1); points = 400·β/ln10):",
    ...result.coefficients.map(
      (c) => `     ${c.feature.padEnd(8)} β = ${fixed(c.estimate, 4)}  95% [${fixed(c.lower, 4)}, ${fixed(c.upper, 4)}]  SE ${fixed(c.standardError, 4)}  = ${fixed(c.points, 1)} points  (${c.description})`,
    ),
    `${"rank".padStart(4)}  ${"subject".padEnd(width)}  ${"controlled".padStart(10)}  ${"lower".padStart(8)}  ${"upper".padStart(8)}  ${"raw".padStart(8)}  ${"raw rank".padStart(8)}`,
    ...result.subjects.map((s) => {
      const before = raw.get(s.name);
      return `${String(s.rank).padStart(4)}  ${s.name.padEnd(width)}  ${fixed(s.score, 1).padStart(10)}  ${fixed(s.lower, 1).padStart(8)}  ${fixed(s.upper, 1).padStart(8)}  ${fixed(before?.score ?? null, 1).padStart(8)}  ${String(before?.rank ?? "—").padStart(8)}`;
    }),
    result.moves.length === 0
      ? "   no subject changes position when style is controlled"
      : `   positions that move when style is controlled (${result.moves.length}):`,
    ...result.moves.map((m) => `     ${m.name}: ${m.rawPosition} → ${m.controlledPosition} (rank ${m.rawRank} → ${m.controlledRank})`),
  ];
  return lines.join("\n");
}
