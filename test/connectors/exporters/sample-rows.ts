/** Judgment rows covering every kind, for the exporter tests. */
import type { ExportResponse, JudgmentExportRow } from "../../../src/connectors/exporters/rows.ts";

export const SALT_1 = "salt-one-0123456789abcdef";
export const SALT_2 = "salt-two-fedcba9876543210";

const resp = (responseId: string, subjectName: string, text: string): ExportResponse => ({ responseId, subjectId: `s-${subjectName}`, subjectName, text });

const alpha = resp("r1", "alpha-7b", "Paris is the capital of France.");
const beta = resp("r2", "beta-13b", 'It is Paris, "the City of Light",\nfamous for its cafés.');
const item = { itemId: "item-1", itemText: "What is the capital of France?" };
const base = { ...item, charterVersion: 2, rationale: null, language: "en" };

export const SAMPLE_ROWS: JudgmentExportRow[] = [
  { ...base, participantId: "ana", responses: [alpha, beta], judgment: { kind: "pairwise", outcome: "a" }, rationale: "Shorter, and correct.", createdAt: new Date("2025-03-01T10:00:00.250Z") },
  { ...base, participantId: "ben", responses: [beta, alpha], judgment: { kind: "pairwise", outcome: "both_bad" }, createdAt: new Date("2025-03-01T10:05:00Z") },
  { ...base, participantId: "chen", responses: [alpha, beta], judgment: { kind: "pairwise", outcome: "tie" }, createdAt: new Date("2025-03-01T10:06:00Z") },
  { ...base, participantId: "ana", responses: [alpha], judgment: { kind: "rating", scores: { accuracy: 5, tone: 3 } }, createdAt: new Date("2025-03-01T10:10:00Z") },
  { ...base, participantId: "ben", responses: [alpha, beta], judgment: { kind: "ranking", order: [["r2"], ["r1"]] }, createdAt: new Date("2025-03-01T10:12:00Z") },
  { ...base, participantId: "dara", responses: [alpha, beta], judgment: { kind: "abstention", reason: "I do not know enough about this." }, createdAt: new Date("2025-03-01T10:15:00Z") },
  { ...base, participantId: "chen", responses: [alpha, beta], judgment: { kind: "contest", target: "framing", reason: "A trivia question says nothing about\nhow the model serves our community." }, createdAt: new Date("2025-03-01T10:20:00Z") },
];

export const PARTICIPANT_IDS = ["ana", "ben", "chen", "dara"];
