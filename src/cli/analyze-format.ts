/** Human-readable tables for `counterpublic analyze`. */
import type { GroupAgreement } from "../analytics/results/index.ts";
import type { RulePairSensitivity } from "../analytics/results/sensitivity.ts";
import type { RuleResult } from "../analytics/results/types.ts";

function number(value: number | null, digits: number): string {
  return value === null ? "—" : value.toFixed(digits);
}

function digitsFor(result: RuleResult): number {
  return result.rule === "win-rate" ? 4 : result.rule === "ranked-pairs" ? 0 : 1;
}

export function formatRuleResult(result: RuleResult): string {
  const digits = digitsFor(result);
  const width = Math.max(7, ...result.subjects.map((s) => s.name.length));
  const lines = [
    `== ${result.rule}: ${result.used} judgments used`,
    `   assumption: ${result.assumption}`,
    ...Object.entries(result.parameters).map(([key, value]) => `   ${key}: ${String(value)}`),
    ...result.excluded.map((e) => `   excluded: ${e.count} (${e.reason})`),
    ...result.warnings.map((w) => `   warning: ${w}`),
    `${"rank".padStart(4)}  ${"subject".padEnd(width)}  ${"score".padStart(10)}  ${"lower".padStart(10)}  ${"upper".padStart(10)}`,
    ...result.subjects.map(
      (s) =>
        `${String(s.rank).padStart(4)}  ${s.name.padEnd(width)}  ${number(s.score, digits).padStart(10)}  ${number(s.lower, digits).padStart(10)}  ${number(s.upper, digits).padStart(10)}`,
    ),
  ];
  return lines.join("\n");
}

export function formatSensitivity(pairs: readonly RulePairSensitivity[]): string {
  if (pairs.length === 0) return "";
  const lines = ["== sensitivity: Kendall's τ-b between rules (pairs whose order flips)"];
  for (const pair of pairs) {
    lines.push(`   ${pair.rules[0]} vs ${pair.rules[1]}: τ = ${number(pair.tau, 3)}, ${pair.flipped.length} of ${(pair.shared * (pair.shared - 1)) / 2} pairs flip`);
  }
  return lines.join("\n");
}

export function formatGroupAgreement(rule: string, agreement: GroupAgreement): string {
  return `== ${rule}: merged order equals the published rank in ${agreement.reproduced} of ${agreement.groups} sibling groups (${(100 * agreement.rate).toFixed(1)}%)`;
}
