import { randomInt } from "node:crypto";
import { ZodError } from "zod";
import { recordAudit } from "../evaluations/audit.ts";
import { pairKey } from "../../core/assignment.ts";
import { DEFAULT_LIVE_BATTLE_QUOTAS } from "../../core/charter.ts";
import { admission, afterFailure, claimProbe, countsAgainstEndpoint } from "../../core/circuit.ts";
import { AppError } from "../../core/errors.ts";
import { assertJudgingPhase, assertTextWithin } from "../../core/evaluation.ts";
import { identityLeakOf } from "../../core/identity-leak.ts";
import {
  ConnectorError,
  createConnector,
  describeConnectorConfig,
  endpointUrlProblem,
  isConnectorError,
  ModelPathError,
  parseConnectorConfig,
  resolveModelPath,
  type ConnectorConfig,
  type SubjectConnector,
} from "../../connectors/llm/index.ts";
import { inTransaction } from "../../platform/db/pool.ts";
import { latestCharter } from "../../platform/records.ts";
import { insertItem, insertResponse } from "../evaluations/item-queries.ts";
import { abandonOpenAssignments, insertAssignment, pairComparisonCounts } from "./queries.ts";
import {
  circuitsOf,
  countLiveBattles,
  legacyKeyRows,
  liveEndpoints,
  lockCircuit,
  recordLiveBattle,
  replaceLegacyKey,
  saveCircuit,
  stateOf,
  upsertEndpoint,
  type EndpointRow,
} from "./live-queries.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { newToken } from "../../platform/crypto.ts";
import { open, seal } from "../../platform/secret-box.ts";
import { requireEvaluation, requireRole, type Actor } from "../../platform/guards.ts";
import { requireContributor } from "../../platform/guards.ts";
import { viewOf, type AssignmentView } from "./presenter.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One connector per subject and config, per server (its Services), so its concurrency limit holds across
 * requests. A replaced connector is closed (its sockets released).
 */
const connectorsByServer = new WeakMap<Services, Map<string, { key: string; connector: SubjectConnector }>>();

async function connectorFor(s: Services, subjectId: string, config: ConnectorConfig): Promise<SubjectConnector> {
  let connectors = connectorsByServer.get(s);
  if (!connectors) connectorsByServer.set(s, (connectors = new Map()));
  const resolved = config.kind === "gguf" ? { ...config, modelPath: await modelFile(s, config.modelPath) } : config;
  const key = JSON.stringify(resolved);
  const cached = connectors.get(subjectId);
  if (cached && cached.key === key) return cached.connector;
  const connector = createConnector(resolved, { outbound: s.live?.outbound ?? {} });
  connectors.set(subjectId, { key, connector });
  if (cached) void cached.connector.close().catch(() => undefined);
  return connector;
}

/** The model file inside the operator's folder, checked again on every load (the folder may have changed since the save). */
async function modelFile(s: Services, name: string): Promise<string> {
  try {
    return await resolveModelPath(s.live?.modelsDir ?? null, name);
  } catch (error) {
    if (error instanceof ModelPathError) throw new ConnectorError("model_path_refused", error.message);
    throw error;
  }
}

/** Refuses, with the field and the rule, what the server will not call: a forbidden address, a model file outside the models folder. */
async function assertReachable(s: Services, config: ConnectorConfig): Promise<void> {
  if (config.kind === "gguf") {
    try {
      await resolveModelPath(s.live?.modelsDir ?? null, config.modelPath);
    } catch (error) {
      if (!(error instanceof ModelPathError)) throw error;
      throw new AppError("validation_failed", error.message, error.rule === "local_models_disabled" ? "kind" : "modelPath", error.rule);
    }
    return;
  }
  const problem = await endpointUrlProblem(config.baseURL, s.live?.outbound ?? {});
  if (problem) throw new AppError("validation_failed", problem.message, "baseURL", problem.rule);
}

/** A refused endpoint configuration names its first wrong field and zod's rule, as every other validation does (a ZodError's message is a JSON array). */
function endpointConfigProblem(error: unknown): AppError {
  const issue = error instanceof ZodError ? error.issues[0] : undefined;
  if (!issue) return new AppError("validation_failed", "the endpoint configuration is invalid", "endpoint");
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "kind";
  return new AppError("validation_failed", `the endpoint configuration is invalid: ${field}: ${issue.message}`, field, issue.code);
}

export async function setEndpoint(s: Services, actor: Actor, idOrSlug: string, subjectId: string, input: unknown) {
  let config: ConnectorConfig;
  try {
    config = parseConnectorConfig(input);
  } catch (error) {
    throw endpointConfigProblem(error);
  }
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["organiser"]);
  await assertReachable(s, config);
  return inTransaction(s.pool, async (db) => {
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    if (!(await listSubjects(db, evaluation.id)).some((subject) => subject.id === subjectId)) throw new AppError("not_found", "no such subject in this evaluation", "subjectId");
    const { stored, sealed } = splitKey(s, subjectId, config);
    await upsertEndpoint(db, subjectId, stored, sealed);
    // the kind only: URLs can carry credentials and the key is sealed
    await recordAudit(db, evaluation.id, actor, "endpoint.set", subjectId, { kind: config.kind, apiKey: sealed !== null });
    return describeConnectorConfig(config);
  });
}

/** The config as stored (no key) and the key sealed under the server secret, bound to the subject. */
function splitKey(s: Services, subjectId: string, config: ConnectorConfig): { stored: Record<string, unknown>; sealed: string | null } {
  if (config.kind === "gguf" || !config.apiKey) return { stored: { ...config }, sealed: null };
  const { apiKey, ...rest } = config;
  if (!s.secret) throw new Error("the server secret is not configured: API keys cannot be stored");
  return { stored: rest, sealed: seal(s.secret, apiKey, subjectId) };
}

/** The full config of a stored endpoint, the key opened (or, written before keys were sealed, sealed now). */
async function configOf(s: Services, endpoint: EndpointRow): Promise<ConnectorConfig> {
  const { apiKey: legacy, ...rest } = endpoint.config;
  let apiKey: string | undefined;
  if (endpoint.api_key_sealed) {
    if (!s.secret) throw new ConnectorError("auth", "the server secret is not configured: the stored API key cannot be opened");
    try {
      apiKey = open(s.secret, endpoint.api_key_sealed, endpoint.subject_id);
    } catch {
      throw new ConnectorError("auth", "the stored API key cannot be opened with this server's secret");
    }
  } else if (typeof legacy === "string" && legacy) {
    apiKey = legacy;
    if (s.secret) await replaceLegacyKey(s.pool, endpoint.subject_id, seal(s.secret, legacy, endpoint.subject_id));
  }
  return parseConnectorConfig(apiKey ? { ...rest, apiKey } : rest);
}

/** Seals every API key stored in plaintext before keys were sealed (the serve command runs it at start). */
export async function sealLegacyEndpointKeys(s: Services): Promise<number> {
  if (!s.secret) return 0;
  const rows = await legacyKeyRows(s.pool);
  for (const row of rows) await replaceLegacyKey(s.pool, row.subject_id, seal(s.secret, row.api_key, row.subject_id));
  return rows.length;
}

export type LiveEvent = { kind: "delta"; side: "a" | "b"; text: string } | { kind: "retry"; reason: string } | { kind: "ready"; assignment: AssignmentView };

export interface PreparedBattle {
  evaluationId: string;
  participantId: string;
  prompt: string;
  moderation: "accepted" | "pending";
}

/** Live subjects whose circuit lets a call through now (closed, or half-open with no probe running). */
async function admittedEndpoints(s: Services, evaluationId: string, exclude: ReadonlySet<string> = new Set()): Promise<EndpointRow[]> {
  const [endpoints, circuits] = await Promise.all([liveEndpoints(s.pool, evaluationId), circuitsOf(s.pool, evaluationId)]);
  const now = nowOf(s);
  return endpoints.filter((e) => !exclude.has(e.subject_id) && admission(stateOf(circuits.get(e.subject_id)), now) !== "wait");
}

/**
 * Every check that can refuse the request, before anything streams or is generated; the last one is the
 * charter's quotas (429 `quota_exceeded`), and passing it records the battle against them.
 */
export async function prepareLiveBattle(s: Services, actor: Actor, idOrSlug: string, prompt: string): Promise<PreparedBattle> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  assertJudgingPhase(evaluation.status, evaluation.phase);
  const { participant } = await requireContributor(s.pool, evaluation, actor);
  const charter = await latestCharter(s.pool, evaluation.id);
  const policy = charter?.content.participantItems ?? "off";
  if (policy === "off") throw new AppError("forbidden", "this charter does not let participants write their own prompts", "prompt");
  assertTextWithin("prompt", prompt, charter?.content.textLimits.prompt ?? 4000);
  if ((await admittedEndpoints(s, evaluation.id)).length < 2) {
    throw new AppError("nothing_to_assign", "fewer than two live subjects are available right now", "prompt");
  }
  const quotas = { ...DEFAULT_LIVE_BATTLE_QUOTAS, ...charter?.content.liveBattles };
  const now = nowOf(s);
  await inTransaction(s.pool, async (db) => {
    const used = await countLiveBattles(db, evaluation.id, participant.id, new Date(now.getTime() - DAY_MS));
    if (used.participant >= quotas.perParticipantPerDay) {
      throw new AppError("quota_exceeded", `you have started ${used.participant} live battles in the last 24 hours, the charter's limit per participant; try again later`, "liveBattles.perParticipantPerDay");
    }
    if (used.evaluation >= quotas.perEvaluationPerDay) {
      throw new AppError("quota_exceeded", `this evaluation has run ${used.evaluation} live battles in the last 24 hours, the charter's daily limit; try again later`, "liveBattles.perEvaluationPerDay");
    }
    await recordLiveBattle(db, evaluation.id, participant.id, now);
  });
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

/** Takes the half-open probe of the subject if its circuit needs one; false when another call holds it. */
async function admit(s: Services, subjectId: string): Promise<boolean> {
  return inTransaction(s.pool, async (db) => {
    const now = nowOf(s);
    const state = stateOf(await lockCircuit(db, subjectId));
    const verdict = admission(state, now);
    if (verdict === "probe") await saveCircuit(db, subjectId, claimProbe(state, now), now);
    return verdict !== "wait";
  });
}

async function recordSuccess(s: Services, subjectId: string): Promise<void> {
  await s.pool.query(
    `UPDATE endpoint_circuits SET consecutive_failures = 0, openings = 0, open_until = NULL, probe_until = NULL, updated_at = $2
      WHERE subject_id = $1 AND (consecutive_failures > 0 OR open_until IS NOT NULL OR probe_until IS NOT NULL)`,
    [subjectId, nowOf(s)],
  );
}

async function recordFailure(s: Services, subjectId: string, error: unknown): Promise<void> {
  const failure = isConnectorError(error)
    ? { kind: error.code, status: error.details.status ?? null, retryAfterMs: error.details.retryAfterMs }
    : { kind: "bad_response", status: null, retryAfterMs: undefined };
  await inTransaction(s.pool, async (db) => {
    const now = nowOf(s);
    const state = stateOf(await lockCircuit(db, subjectId));
    const next = countsAgainstEndpoint({ kind: failure.kind, status: failure.status ?? undefined }) ? afterFailure(state, now, failure) : { ...state, probeUntil: null };
    await saveCircuit(db, subjectId, next, now, { kind: failure.kind, status: failure.status });
  });
}

interface Generated {
  text: string;
  meta: Record<string, unknown>;
}

async function generate(s: Services, endpoint: EndpointRow, prompt: string, side: "a" | "b", emit: (event: LiveEvent) => void): Promise<Generated> {
  const connector = await connectorFor(s, endpoint.subject_id, await configOf(s, endpoint));
  for await (const event of connector.generate({ messages: [{ role: "user", content: prompt }] })) {
    if (event.kind === "delta") {
      emit({ kind: "delta", side, text: event.text });
      continue;
    }
    // Token and latency accounting travels with the stored response.
    const meta = { live: true, latencyMs: event.latencyMs, firstTokenMs: event.firstTokenMs, finishReason: event.finishReason, attempts: event.attempts, usage: event.usage };
    return { text: event.text, meta };
  }
  throw new ConnectorError("stream_interrupted", "the stream ended without a final event");
}

/**
 * Gets two anonymous responses, streaming both. A subject that fails is recorded against its circuit
 * breaker (the endpoint's own words are never stored or shown) and left out for the rest of this battle;
 * another pair is tried. Only when both responses are complete are the item, the responses and the
 * assignment written, in one transaction: nothing half-written is ever stored.
 */
export async function runLiveBattle(s: Services, battle: PreparedBattle, emit: (event: LiveEvent) => void): Promise<AssignmentView> {
  const leftOut = new Set<string>();
  for (;;) {
    const live = await admittedEndpoints(s, battle.evaluationId, leftOut);
    const pair = await pickPair(s, battle.evaluationId, live);
    if (!pair) throw new AppError("nothing_to_assign", "no two live subjects are available; try again later", "prompt");
    const admitted = await Promise.all(pair.map((endpoint) => admit(s, endpoint.subject_id)));
    if (admitted.some((ok) => !ok)) {
      // another call took a half-open probe between the listing and now: pick again without it
      for (const [i, endpoint] of pair.entries()) {
        if (admitted[i]) await s.pool.query("UPDATE endpoint_circuits SET probe_until = NULL WHERE subject_id = $1", [endpoint.subject_id]);
        else leftOut.add(endpoint.subject_id);
      }
      continue;
    }
    const settled = await Promise.allSettled([generate(s, pair[0], battle.prompt, "a", emit), generate(s, pair[1], battle.prompt, "b", emit)]);
    for (const [i, result] of settled.entries()) {
      const endpoint = pair[i] as EndpointRow;
      if (result.status === "fulfilled") await recordSuccess(s, endpoint.subject_id);
      else await recordFailure(s, endpoint.subject_id, result.reason);
    }
    const failures = settled.flatMap((result, i) => (result.status === "rejected" ? [pair[i] as EndpointRow] : []));
    if (failures.length === 0) {
      const generated = settled.map((r) => (r.status === "fulfilled" ? r.value : { text: "", meta: {} }));
      return store(s, battle, pair, generated as [Generated, Generated]);
    }
    for (const endpoint of failures) {
      leftOut.add(endpoint.subject_id);
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
      const identityLeak = identityLeakOf(text, { name: endpoint.name, organisation: endpoint.organisation });
      responses.push(await insertResponse(db, battle.evaluationId, { itemId: item.id, subjectId: endpoint.subject_id, text, meta, identityLeak }));
    }
    await abandonOpenAssignments(db, battle.participantId);
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
