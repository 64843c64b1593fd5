/**
 * Why a replay's last warm update differs from Polis's export (issue 17):
 * `node --import tsx bench/opinion-replay-final.bench.ts [every=0.05]`. Replays each export with warm updates every
 * `every` of its votes, then, on all the votes, runs one more update from the last warm state four ways —
 * base clusters warm or from scratch × groups warm or from scratch — and prints, for each, k, the ARI
 * against Polis's exported group-id, the k-means objective (inertia) and the silhouettes. Base warm and groups
 * from scratch is what Polis computes after reloading a conversation (conv_man.clj `restructure-json-conv`
 * keeps base-clusters, not group-clusterings); both from scratch is Polis's `:recompute` and the one-shot map.
 */
import os from "node:os";
import path from "node:path";
import { everInConversation } from "../src/analytics/opinion/in-conversation.ts";
import { replayOpinionMap } from "../src/analytics/opinion/replay.ts";
import { updateOpinionMap, type OpinionMapState } from "../src/analytics/opinion/update.ts";
import { againstPolis, inertia, sharedData } from "./polis-replay-support.ts";
import { readPolisGroupIds, readPolisVoteEvents } from "../src/connectors/polis/index.ts";

const every = Number(process.argv[2] ?? 0.05);

function conversation(name: string): void {
  const dir = path.join(sharedData, "polis", name);
  const { conversation: c, events } = readPolisVoteEvents(dir);
  const times = c.statements.map((s) => s.createdAt ?? 0);
  const polis = readPolisGroupIds(dir);
  const steps = replayOpinionMap({ statements: c.statements, participants: c.participants, events, statementTimes: times }, every, { seed: 0 });
  const lastWarm = steps.filter((s) => !s.recomputed).at(-1)!.state;
  const latest = new Map<string, (typeof events)[number]>();
  for (const e of [...events].sort((a, b) => a.at - b.at)) latest.set(`${e.participant}\u0000${e.statement}`, e);
  const all = { statements: c.statements, participants: c.participants, votes: [...latest.values()].map(({ participant, statement, vote }) => ({ participant, statement, vote })), inConversation: everInConversation(times, events) };
  console.log(`${name}: warm updates every ${every} of ${events.length} votes, then one more update on all of them from the last warm state:`);
  const variants: [string, OpinionMapState | null][] = [
    ["base warm, groups warm (Polis's live update)", lastWarm],
    ["base warm, groups from scratch (Polis after a reload)", { ...lastWarm, groupClusterings: {}, kSmoother: null }],
    ["base from scratch, groups warm (ids no longer match: an arbitrary start)", { ...lastWarm, baseClusters: [] }],
    ["both from scratch (Polis's :recompute, one-shot)", null],
  ];
  for (const [label, state] of variants) {
    const { map } = updateOpinionMap(all, state, { seed: 0 });
    const silhouettes = Object.entries(map.silhouettes).map(([k, v]) => `${k}: ${v.toFixed(3)}`).join(", ");
    console.log(`  ${label}: k ${map.groups.length}, ARI vs Polis ${againstPolis(map, polis).toFixed(3)}, inertia ${inertia(map).toFixed(1)}, silhouettes ${silhouettes}`);
  }
}

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`);
for (const name of ["bg2050-volunteers", "vtaiwan.uberx", "scoop-hivemind.biodiversity"]) conversation(name);
