/**
 * What an export can be written as (the API, the CLI and the web app share this list): jsonl, csv,
 * huggingface and fastchat carry judgments; polis carries statements and statement votes.
 */
export const EXPORT_FORMATS = ["jsonl", "csv", "huggingface", "fastchat", "polis"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
