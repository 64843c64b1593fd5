import { randomInt } from "node:crypto";
import { pairKey } from "../../core/assignment.ts";
import { AppError } from "../../core/errors.ts";
import { assertTextWithin } from "../../core/evaluation.ts";
import { detectIdentityLeak } from "../../core/identity-leak.ts";
import { createConnector, describeConnectorConfig, isConnectorError, parseConnectorConfig, type ConnectorConfig, type SubjectConnector } from "../../connectors/llm/index.ts";
import { inTransaction } from "../../platform/db/pool.ts";
import { latestCharter } from "../../platform/records.ts";
import { insertItem, insertResponse } from "../evaluations/item-queries.ts";
import { insertAssignment, pairComparisonCounts } from "./queries.ts";
import { availableEndpoints, markUnavailable, upsertEndpoint, type EndpointRow } from "./live-queries.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import { type Services } from "../../platform/context.ts";
import { newToken } from "../../platform/crypto.ts";
import { requireEvaluation, requireRole, type Actor } from "../../platform/guards.ts";
import { assertJudgingPhase } from "./service.ts";
import { requireContributor } from "../../platform/guards.ts";
import { viewOf, type AssignmentView } from "./presenter.ts";

/** One connector per subject and config, so its concurrency limit holds across requests. */
const connectors = new Map<string, { key: string; connector: SubjectConnector }>();

function connectorFor(subjectId: string, config: ConnectorConfig): SubjectConnector {
  const key = JSON.stringify(config);
  const cached = connectors.get(subjectId);
  if (cached && cached.key === key) return cached.connector;
  const connector = createConnector(config);
  connectors.set(subjectId, { key, connector });
  return connector;
}

export async function setEndpoint(s: Services, actor: Actor, idOrSlug: string, subjectId: string, input: unknown) {
  let config: ConnectorConfig;
  try {
    config = parseConnectorConfig(input);
  } catch (error) {
    throw new AppError("validation_failed", `the endpoint configuration is invalid: ${error instanceof Error ? error.message.split("\n")[0] : "invalid"}`, "endpoint");
  }
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    if (!(await listSubjects(db, evaluation.id)).some((subject) => subject.id === subjectId)) throw new AppError("not_found", "no such subject in this evaluation", "subjectId");
    await upsertEndpoint(db, subjectId, config);
    return describeConnectorConfig(config);
  });
}

export type LiveEvent = { kind: "delta"; side: "a" | "b"; text: string } | { kind: "retry"; reason: string } | { kind: "ready"; assignment: AssignmentView };

export interface PreparedBattle {
  evaluationId: string;
  participantId: string;
  prompt: string;
  moderation: "accepted" | "pending";
}

/** Every check that can refuse the request, before anything streams or is generated. */
export async function prepareLiveBattle(s: Services, actor: Actor, idOrSlug: string, prompt: string): Promise<PreparedBattle> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  assertJudgingPhase(evaluation);
  const { participant } = await requireContributor(s.pool, evaluation, actor);
  const charter = await latestCharter(s.pool, evaluation.id);
  const policy = charter?.content.participantItems ?? "off";
  if (policy === "off") throw new AppError("forbidden", "this charter does not let participants write their own prompts", "prompt");
  assertTextWithin("prompt", prompt, charter?.content.textLimits.prompt ?? 4000);
  if ((await availableEndpoints(s.pool, evaluation.id)).length < 2) {
    throw new AppError("nothing_to_assign", "fewer than two live subjects are available right now", "prompt");
  }
  return { evaluationId: evaluation.id, participantId: participant.id, prompt, moderation: policy === "open" ? "accepted" : "pending" };
}

/** The least compared pair among `live`, never one subject twice. */
async function pickPair(s: Services, evaluationId: string, live: readonly EndpointRow[]): Promise<[EndpointRow, EndpointRow] | null> {
  const counts = new Map((await pairComparisonCounts(s.pool, evaluationId)).map((r) => [pairKey(r.x, r.y), r.n]));
  let best: [EndpointRow, EndpointRow] | null = null;
  let bestCount = Infinity;
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const x = live[i] as EndpointRow;
      const y = live[j] as EndpointRow;
      const n = counts.get(pairKey(x.subject_id, y.subject_id)) ?? 0;
      if (n < bestCount) [best, bestCount] = [randomInt(0, 2) === 0 ? [x, y] : [y, x], n];
    }
  }
  return best;
}

interface Generated {
  text: string;
  meta: Record<string, unknown>;
}

async function generate(endpoint: EndpointRow, prompt: string, side: "a" | "b", emit: (event: LiveEvent) => void): Promise<Generated> {
  const connector = connectorFor(endpoint.subject_id, parseConnectorConfig(endpoint.config));
  for await (const event of connector.generate({ messages: [{ role: "user", content: prompt }] })) {
    if (event.kind === "delta") {
      emit({ kind: "delta", side, text: event.text });
      continue;
    }
    // Token and latency accounting travels with the stored response.
    const meta = { live: true, latencyMs: event.latencyMs, firstTokenMs: event.firstTokenMs, finishReason: event.finishReason, attempts: event.attempts, usage: event.usage };
    return { text: event.text, meta };
  }
  throw new Error("the stream ended without a final event");
}

/**
 * Gets two anonymous responses, streaming both; a subject that fails is marked unavailable with the
 * reason and another pair is tried. Only when both responses are complete are the item, the responses
 * and the assignment written, in one transaction: nothing half-written is ever stored.
 */
export async function runLiveBattle(s: Services, battle: PreparedBattle, emit: (event: LiveEvent) => void): Promise<AssignmentView> {
  for (;;) {
    const live = await availableEndpoints(s.pool, battle.evaluationId);
    const pair = await pickPair(s, battle.evaluationId, live);
    if (!pair) throw new AppError("nothing_to_assign", "no two live subjects are available; try again later", "prompt");
    const settled = await Promise.allSettled([generate(pair[0], battle.prompt, "a", emit), generate(pair[1], battle.prompt, "b", emit)]);
    const failures = settled.flatMap((result, i) => (result.status === "rejected" ? [{ endpoint: pair[i] as EndpointRow, error: result.reason as unknown }] : []));
    if (failures.length === 0) {
      const generated = settled.map((r) => (r.status === "fulfilled" ? r.value : { text: "", meta: {} }));
      return store(s, battle, pair, generated as [Generated, Generated]);
    }
    for (const { endpoint, error } of failures) {
      const reason = isConnectorError(error) ? `${error.code}: ${error.reason}` : "the subject failed to answer";
      await markUnavailable(s.pool, endpoint.subject_id, reason);
      emit({ kind: "retry", reason: "one of the two systems could not answer; trying another pair" });
    }
  }
}

async function store(s: Services, battle: PreparedBattle, pair: [EndpointRow, EndpointRow], generated: [Generated, Generated]): Promise<AssignmentView> {
  return inTransaction(s.pool, async (db) => {
    const item = await insertItem(db, battle.evaluationId, { prompt: battle.prompt, authorParticipantId: battle.participantId, moderation: battle.moderation });
    const responses = [];
    for (const [i, endpoint] of pair.entries()) {
      const { text, meta } = generated[i] ?? { text: "", meta: {} };
      const leak = detectIdentityLeak(text, { subjectName: endpoint.name, organisation: endpoint.organisation ?? "" });
      responses.push(await insertResponse(db, battle.evaluationId, { itemId: item.id, subjectId: endpoint.subject_id, text, meta, identityLeak: leak.leaked ? leak.matches : null }));
    }
    const assignment = await insertAssignment(db, {
      token: newToken(),
      evaluation_id: battle.evaluationId,
      participant_id: battle.participantId,
      item_id: item.id,
      mode: "pairwise",
      response_ids: responses.map((r) => r.id),
    });
    return viewOf(db, assignment);
  });
}
