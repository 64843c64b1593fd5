import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
let alice: Client;
let bob: Client;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2, textLimits: { post: 60 } });
  alice = await joinAs(server.baseUrl, scenario);
  bob = await joinAs(server.baseUrl, scenario);
});
after(async () => server.close());

interface PostView {
  id: string;
  parentId: string | null;
  target: { kind: string; id: string };
  author: { role: string; pseudonym: string | null };
  text: string | null;
  hidden: boolean;
  mine: boolean;
  moderation: { action: string; by: string; reason: string } | null;
  version: number;
  flags: { count: number; reasons: string[] | null };
  versions?: { version: number; text: string | null }[];
}

const url = (path = "") => `/api/evaluations/${scenario.slug}${path}`;

async function post(client: Client, body: Record<string, unknown>) {
  const res = await client.post<{ post: PostView }>(url("/posts"), body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.post;
}

async function assertRefused(call: () => Promise<{ status: number; body: unknown; contentType: string }>, status: number, field: string) {
  const before = await rowCounts(server.pool);
  const res = await call();
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.contentType, /application\/problem\+json/);
  assert.equal((res.body as { field?: string }).field, field, JSON.stringify(res.body));
  assert.deepEqual(await rowCounts(server.pool), before, "a refused request changes no rows");
}

describe("threads", () => {
  test("posts attach to the evaluation, an item, a response or a result; replies inherit the target", async () => {
    const onEval = await post(alice, { targetKind: "evaluation", text: "Why these three assistants?" });
    assert.equal(onEval.target.kind, "evaluation");
    const item = scenario.items[0]?.id ?? "";
    const onItem = await post(alice, { targetKind: "item", targetId: item, text: "This prompt is ambiguous." });
    const onResult = await post(scenario.organiser, { targetKind: "result", targetId: "bt", text: "BT assumes transitivity." });
    assert.equal(onResult.author.role, "organiser");
    assert.equal(onResult.author.pseudonym, null);
    const reply = await bob.post<{ post: PostView }>(url(`/posts/${onItem.id}/replies`), { text: "Agreed, it mixes two questions." });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.post.parentId, onItem.id);
    assert.deepEqual(reply.body.post.target, { kind: "item", id: item });

    const thread = await new Client(server.baseUrl).get<{ posts: PostView[] }>(url(`/posts?targetKind=item&targetId=${item}`));
    assert.equal(thread.status, 200);
    assert.deepEqual(thread.body.posts.map((p) => p.id), [onItem.id, reply.body.post.id]);
    assert.ok(thread.body.posts.every((p) => p.author.role === "participant" && p.author.pseudonym?.startsWith("p-")));
    assert.equal(onEval.mine, true);
  });

  test("an edit keeps every version", async () => {
    const first = await post(alice, { targetKind: "evaluation", text: "Version one" });
    const second = await alice.patch<{ post: PostView }>(url(`/posts/${first.id}`), { text: "Version two" });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    await alice.patch(url(`/posts/${first.id}`), { text: "Version three" });
    const read = await bob.get<{ post: PostView }>(url(`/posts/${first.id}`));
    assert.equal(read.body.post.text, "Version three");
    assert.equal(read.body.post.version, 3);
    assert.deepEqual(read.body.post.versions?.map((v) => [v.version, v.text]), [[1, "Version one"], [2, "Version two"], [3, "Version three"]]);
    await assertRefused(() => bob.patch(url(`/posts/${first.id}`), { text: "Not mine" }), 403, "postId");
  });

  test("flags carry reasons, seen by organisers; a second flag by the same person is refused", async () => {
    const target = await post(alice, { targetKind: "evaluation", text: "Something rude" });
    const flagged = await bob.post<{ post: PostView }>(url(`/posts/${target.id}/flags`), { reason: "insulting" });
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    assert.equal(flagged.body.post.flags.count, 1);
    assert.equal(flagged.body.post.flags.reasons, null, "participants see the count, not the reasons");
    const seen = await scenario.organiser.get<{ post: PostView }>(url(`/posts/${target.id}`));
    assert.deepEqual(seen.body.post.flags, { count: 1, reasons: ["insulting"] });
    await assertRefused(() => bob.post(url(`/posts/${target.id}/flags`), { reason: "again" }), 409, "postId");
  });

  test("a hidden post still appears, showing that it was hidden, by whom and why", async () => {
    const target = await post(bob, { targetKind: "evaluation", text: "Personal attack" });
    const hidden = await scenario.organiser.post<{ post: PostView }>(url(`/posts/${target.id}/moderation`), { action: "hide", reason: "personal attack on a participant" });
    assert.equal(hidden.status, 201, JSON.stringify(hidden.body));
    const publicView = await new Client(server.baseUrl).get<{ posts: PostView[] }>(url("/posts"));
    const shown = publicView.body.posts.find((p) => p.id === target.id);
    assert.ok(shown, "the hidden post is still listed");
    assert.equal(shown.hidden, true);
    assert.equal(shown.text, null, "its text is withheld from the public");
    assert.deepEqual({ action: shown.moderation?.action, by: shown.moderation?.by, reason: shown.moderation?.reason }, { action: "hide", by: "organiser", reason: "personal attack on a participant" });
    const author = await bob.get<{ post: PostView }>(url(`/posts/${target.id}`));
    assert.equal(author.body.post.text, "Personal attack", "the author still reads their own post");
    const log = await new Client(server.baseUrl).get<{ actions: { targetId: string; action: string; by: string; reason: string }[] }>(url("/moderation"));
    assert.ok(log.body.actions.some((a) => a.targetId === target.id && a.action === "hide" && a.by === "organiser" && a.reason === "personal attack on a participant"));
  });

  test("bad input answers problem+json naming the field and changes no rows", async () => {
    const existing = await post(alice, { targetKind: "evaluation", text: "A post to moderate" });
    await assertRefused(() => alice.post(url("/posts"), { targetKind: "item", targetId: "00000000-0000-4000-8000-000000000000", text: "hi" }), 404, "targetId");
    await assertRefused(() => alice.post(url("/posts"), { targetKind: "response", targetId: scenario.items[0]?.id, text: "an item id is not a response" }), 404, "targetId");
    await assertRefused(() => alice.post(url("/posts"), { targetKind: "result", targetId: "astrology", text: "hi" }), 404, "targetId");
    await assertRefused(() => alice.post(url("/posts"), { targetKind: "planet", text: "hi" }), 400, "body.targetKind");
    await assertRefused(() => alice.post(url("/posts"), { targetKind: "evaluation", text: "x".repeat(61) }), 400, "text");
    await assertRefused(() => alice.post(url(`/posts/${existing.id}/moderation`), { action: "hide", reason: "I dislike it" }), 403, undefined as unknown as string);
    await assertRefused(() => scenario.organiser.post(url(`/posts/${existing.id}/moderation`), { action: "hide", reason: "  " }), 400, "body.reason");
    const outsider = new Client(server.baseUrl);
    await assertRefused(() => outsider.post(url("/posts"), { targetKind: "evaluation", text: "hi" }), 401, undefined as unknown as string);
    const noConsent = await joinAs(server.baseUrl, scenario, null);
    await assertRefused(() => noConsent.post(url("/posts"), { targetKind: "evaluation", text: "hi" }), 403, "consent");
  });
});
