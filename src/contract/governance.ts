/** Governance: proposals, ballots and tallies, and whether data release is being withheld. */
import { z } from "zod";
import { DECISION_METHODS } from "../core/charter.ts";
import { BALLOT_CHOICES, PROPOSAL_KINDS, PROPOSAL_STATUSES } from "../core/governance.ts";
import { jsonObject, timestamp } from "./common.ts";

export const REJECTION_REASONS = ["quorum_not_met", "tie", "below_threshold", "objection"] as const;

export const tally = z.object({
  yes: z.number(),
  no: z.number(),
  abstain: z.number(),
  object: z.number(),
  cast: z.number(),
  eligible: z.number(),
  quorumNeeded: z.number(),
  invalid: z.number(),
});

export const proposal = z.object({
  id: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  title: z.string(),
  description: z.string(),
  payload: jsonObject,
  method: z.enum(DECISION_METHODS),
  quorum: z.number(),
  charterVersion: z.number(),
  proposedBy: z.string(),
  deadline: timestamp,
  status: z.enum(PROPOSAL_STATUSES),
  rejectionReason: z.enum(REJECTION_REASONS).nullable(),
  tally: tally.nullable(),
  effect: jsonObject.nullable(),
  createdAt: timestamp,
  closedAt: timestamp.nullable(),
});

export const withholding = z.object({ active: z.boolean(), since: timestamp.optional(), proposalId: z.string().optional() });
/** While a proposal is open: how many who count have voted (not how), of how many eligible, and the quorum's count. */
export const turnout = z.object({ voted: z.number(), eligible: z.number(), quorumNeeded: z.number() });
export const proposalList = z.object({ proposals: z.array(proposal.extend({ turnout: turnout.nullable().optional() })), withholding });
export const proposalEnvelope = z.object({ proposal });
export const ballot = z.object({
  choice: z.enum(BALLOT_CHOICES),
  reason: z.string().nullable(),
  castAt: timestamp,
  /** acts of people below the charter's identity assurance are recorded but not counted */
  counted: z.boolean().optional(),
  notCountedReason: z.string().nullable().optional(),
  explanation: z.string().nullable().optional(),
});
export const proposalDetail = z.object({ proposal, voters: z.number(), myBallot: ballot.nullable() });
export const ballotEnvelope = z.object({ ballot });
