/**
 * The route × role matrix: every operation in /api/openapi.json, called as each of six roles against one open
 * evaluation with real ids, with a minimal valid body (so that what answers is the rule, not validation).
 * The expected outcome of each cell is written by hand from who may do what (platform/guards.ts,
 * core/consent.ts, core/governance.ts, DESIGN.md), not read off the server. A refusal is problem+json, names
 * the rule's code, and writes nothing (row counts of every table); nothing is ever a 5xx. An operation that
 * appears in the document without a row here fails the test: a new route must be classified.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, signUp, startTestServer, type TestServer } from "../../support/server.ts";
import { documentedOperations, minimalValue, type JsonSchema, type Operation } from "../../support/openapi-operations.ts";

const ROLES = ["anonymous", "noConsent", "participant", "observer", "otherOrganiser", "organiser"] as const;
type RoleName = (typeof ROLES)[number];
type Actors = Record<Exclude<RoleName, "anonymous">, Client>;

/** A success is its exact status; a refusal is its status and the code of the rule that refused. */
type Outcome = number | { status: number; code: string };
const refusal = (status: number, code: string) => ({ status, code });
const UNAUTH = refusal(401, "unauthenticated");
const FORBIDDEN = refusal(403, "forbidden");
const NO_CONSENT = refusal(403, "consent_required");

/**
 * Where two rules refuse the same call and the design orders neither (who is asking, and whether the evaluation
 * accepts contributions now), either refusal is right: the cell lists both, and nothing may be written.
 */
type Cell = Outcome | readonly Outcome[];
const either = (...outcomes: Outcome[]): readonly Outcome[] => outcomes;
const NOT_OPEN = refusal(409, "evaluation_not_open");
const PAUSED = refusal(409, "wrong_phase");
const PUBLIC_SEED_ONLY = refusal(400, "validation_failed");

/** One row of the matrix, in the order of ROLES. */
function row(anonymous: Cell, noConsent: Cell, participant: Cell, observer: Cell, otherOrganiser: Cell, organiser: Cell): Record<RoleName, Cell> {
  return { anonymous, noConsent, participant, observer, otherOrganiser, organiser };
}

/* The rules, each named once (the guard that holds it in brackets). */
/** Anyone may read an evaluation past its draft (requireReader)... */
const PUBLIC = row(200, 200, 200, 200, 200, 200);
/** ...and a draft only its organisers and observers: to anyone else it does not exist. Every PUBLIC read of one evaluation gets this row on a draft too. */
const HIDDEN = refusal(404, "not_found");
const DRAFT = row(HIDDEN, HIDDEN, HIDDEN, 200, HIDDEN, 200);
/** Only this evaluation's organisers (requireRole organiser / requireOrganiser). */
const organiserOnly = (ok: number) => row(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ok);
/** Organisers and observers watch the evaluation (requireRole organiser, observer). */
const watchers = (ok: number) => row(UNAUTH, FORBIDDEN, FORBIDDEN, ok, FORBIDDEN, ok);
/** A participant's own record and acts that need no consent: "my data", governance acts that are recorded but counted only with consent (requireParticipant). */
const participantOnly = (ok: number) => row(UNAUTH, ok, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN);
/** A contribution: a participant holding consent, in an open evaluation (requireContributor). */
const contributorOnly = (ok: Cell) => row(UNAUTH, NO_CONSENT, ok, FORBIDDEN, FORBIDDEN, FORBIDDEN);
/** Discussion: an organiser, or a participant who may contribute (requireAuthor). */
const authorOnly = (ok: number) => row(UNAUTH, NO_CONSENT, ok, FORBIDDEN, FORBIDDEN, ok);
/** A contribution while the evaluation does not take them (`stopped`: closed, or judging paused): refused for all. */
const contributionStopped = (stopped: Outcome) => row(either(UNAUTH, stopped), either(NO_CONSENT, stopped), stopped, either(FORBIDDEN, stopped), either(FORBIDDEN, stopped), either(FORBIDDEN, stopped));
/** Discussion in a closed evaluation: refused, for its organisers too. */
const discussionStopped = row(either(UNAUTH, NOT_OPEN), either(NO_CONSENT, NOT_OPEN), NOT_OPEN, either(FORBIDDEN, NOT_OPEN), either(FORBIDDEN, NOT_OPEN), NOT_OPEN);

/** The ids the scenario made, by path parameter name; read by the expectations' overrides. */
interface Fixtures {
  slug: string;
  token: string;
  itemId: string;
  judgmentId: string;
  subjectId: string;
  postId: string;
  statementId: string;
  proposalId: string;
  reportId: string;
  demandId: string;
  milestoneId: string;
  exportId: string;
  openAssignment: string;
  spareInvitation: string;
  observerToken: string;
  spareItem: string;
  postToModerate: string;
  statementToModerate: string;
  participantPseudonym: string;
  draftSlug: string;
}

interface Expectation {
  /** names a second situation of the same operation (another link, another state of the evaluation) */
  label?: string;
  roles: Record<RoleName, Cell>;
  /** the row is played on a draft evaluation, by its own participants and observer */
  onDraft?: true;
  /** anything else the answer must show, per role (a message when it does not) */
  check?: (role: RoleName, body: unknown) => string | null;
  /** the evaluation's status and phase during this row (the organiser sets them, and puts back open/judge after) */
  state?: { status?: "closed"; phase?: "deliberate" | "revise" };
  /** roles whose success is a no-op by the rule: it must leave every table as it was */
  unchanged?: readonly RoleName[];
  /** top-level fields the answer must carry, per role */
  answer?: Partial<Record<RoleName, Record<string, unknown>>>;
  /** a query string for this row */
  query?: string;
  /** path parameters other than the defaults (Fixtures by the parameter's name) */
  params?: (f: Fixtures) => Record<string, string>;
  /** a valid body the schema alone cannot give (real ids, patterns, a state the rule needs) */
  body?: (f: Fixtures) => unknown;
  /** the body names rows of this evaluation (ids, a pseudonym): the cross-evaluation test sends it elsewhere */
  bodyNamesRows?: true;
  /** a success here changes the caller's own standing (joins, consent): each role is a fresh actor of that role */
  fresh?: true;
}

const inAWeek = () => new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString();
let slugs = 0;

const POLIS_COMMENTS = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body", "1,x,0,10,1,0,1,Buses should run all night"].join("\n");
const POLIS_VOTES = ["timestamp,datetime,comment-id,voter-id,vote", "1,x,0,10,1", "2,x,0,11,-1"].join("\n");

const EXPECTED: Record<string, Expectation | Expectation[]> = {
  // evaluations
  "GET /api/evaluations/{id}/audit-log": { roles: watchers(200) },
  "GET /api/evaluations": [
    { roles: PUBLIC },
    {
      label: "a draft in the list",
      roles: PUBLIC,
      check: (role, body) => {
        const listed = (body as { evaluations: { slug: string }[] }).evaluations.some((e) => e.slug === fixtures.draftSlug);
        return listed === (role === "observer" || role === "organiser") ? null : `the draft is ${listed ? "" : "not "}listed`;
      },
      onDraft: true,
    },
  ],
  // an organiser needs a full account: accounts made by following a link (participants, observers) are anonymous
  "POST /api/evaluations": {
    roles: row(UNAUTH, FORBIDDEN, FORBIDDEN, FORBIDDEN, 201, 201),
    body: () => ({ slug: `matrix-${(slugs += 1)}-${Date.now().toString(36)}`, title: "Matrix", charter: { purpose: "p", sponsor: "s" } }),
  },
  "GET /api/evaluations/{id}": { roles: PUBLIC },
  "PATCH /api/evaluations/{id}": { roles: organiserOnly(200), body: () => ({ phase: "judge" }) },
  "GET /api/evaluations/{id}/subjects": { roles: PUBLIC },
  "POST /api/evaluations/{id}/subjects": { roles: organiserOnly(201) },
  "GET /api/evaluations/{id}/items": { roles: PUBLIC },
  "POST /api/evaluations/{id}/items": { roles: organiserOnly(201) },
  "POST /api/evaluations/{id}/responses": { roles: organiserOnly(201), bodyNamesRows: true, body: (f) => ({ itemId: f.spareItem, subjectId: f.subjectId, text: "Answer no. 4 to: a spare prompt" }) },
  "POST /api/evaluations/{id}/invitations": { roles: organiserOnly(201) },
  // links are credentials: organisers only, not observers
  "GET /api/evaluations/{id}/invitations": { roles: organiserOnly(200) },
  "POST /api/evaluations/{id}/invitations/batch": { roles: organiserOnly(201) },
  "POST /api/evaluations/{id}/invitations/{token}/revoke": { roles: organiserOnly(200), params: (f) => ({ token: f.spareInvitation }) },
  "GET /api/evaluations/{id}/progress": { roles: watchers(200) },

  // participation: anyone may follow a valid link; one standing per person and evaluation, so a member who
  // follows any link of it keeps theirs (an organiser stays organiser) and nothing is written
  "POST /api/invitations/{token}/join": [
    {
      label: "a participant link",
      roles: row(201, 201, 201, 201, 201, 201),
      params: (f) => ({ token: f.token }),
      fresh: true,
      unchanged: ["noConsent", "participant", "observer", "organiser"],
      answer: { anonymous: { role: "participant" }, noConsent: { role: "participant" }, participant: { role: "participant" }, observer: { role: "observer" }, otherOrganiser: { role: "participant" }, organiser: { role: "organiser" } },
    },
    {
      label: "an observer link",
      roles: row(201, 201, 201, 201, 201, 201),
      params: (f) => ({ token: f.observerToken }),
      fresh: true,
      unchanged: ["noConsent", "participant", "observer", "organiser"],
      answer: { anonymous: { role: "observer" }, noConsent: { role: "participant" }, participant: { role: "participant" }, observer: { role: "observer" }, otherOrganiser: { role: "observer" }, organiser: { role: "organiser" } },
    },
  ],
  "GET /api/evaluations/{id}/me": { roles: participantOnly(200) },
  "PUT /api/evaluations/{id}/consent": { roles: participantOnly(200), fresh: true },
  // revoking everything: one who granted nothing is told so (the rule, not a 5xx or a silent no-op)
  "POST /api/evaluations/{id}/consent/revoke": { roles: row(UNAUTH, refusal(400, "scope_not_granted"), 200, FORBIDDEN, FORBIDDEN, FORBIDDEN), fresh: true },
  "PUT /api/evaluations/{id}/communities": { roles: participantOnly(200) },
  "GET /api/evaluations/{id}/me/consent-receipt": { roles: participantOnly(200) },
  "GET /api/evaluations/{id}/me/judgments": { roles: participantOnly(200) },

  // judging: contributions, so consent first; organisers are not contributors and do not judge
  "POST /api/evaluations/{id}/assignments": [
    { roles: contributorOnly(201) },
    // judging pauses while the evaluation deliberates, and stops once it is closed
    { label: "deliberating", state: { phase: "deliberate" }, roles: contributionStopped(PAUSED) },
    { label: "closed", state: { status: "closed" }, roles: contributionStopped(NOT_OPEN) },
  ],
  "POST /api/evaluations/{id}/assignments/{token}/judgment": [
    // judged first while closed (refused, the task stays open), then in the open evaluation
    { label: "closed", state: { status: "closed" }, params: (f) => ({ token: f.openAssignment }), roles: contributionStopped(NOT_OPEN) },
    { roles: contributorOnly(201), params: (f) => ({ token: f.openAssignment }) },
  ],
  "POST /api/evaluations/{id}/items/{itemId}/judgments": [
    { label: "closed", state: { status: "closed" }, roles: contributionStopped(NOT_OPEN) },
    { roles: contributorOnly(201) },
  ],
  // votes count as cast before the reveal: revisions only in the revise phase
  "POST /api/evaluations/{id}/judgments/{judgmentId}/revisions": [
    { roles: contributorOnly(refusal(409, "wrong_phase")) },
    { label: "revising", state: { phase: "revise" }, roles: contributorOnly(201) },
  ],
  "PUT /api/evaluations/{id}/subjects/{subjectId}/endpoint": { roles: organiserOnly(200), body: () => ({ kind: "openai_compatible", baseURL: "https://8.8.8.8/v1", model: "matrix-model" }) },
  // the participant passes every rule but availability: fewer than two live subjects
  "POST /api/evaluations/{id}/live-battles": { roles: contributorOnly(refusal(404, "nothing_to_assign")) },
  "GET /api/evaluations/{id}/results": [
    { roles: PUBLIC },
    // the draft has no judgments yet: its organisers and observers are told so
    { label: "a draft", onDraft: true, roles: row(HIDDEN, HIDDEN, HIDDEN, refusal(422, "no_judgments"), HIDDEN, refusal(422, "no_judgments")) },
    // choosing the bootstrap seed (an uncached refit) is for organisers and observers (core/bootstrap-budget.ts)
    { label: "a chosen seed", query: "seed=7&rounds=20", roles: row(PUBLIC_SEED_ONLY, PUBLIC_SEED_ONLY, PUBLIC_SEED_ONLY, 200, PUBLIC_SEED_ONLY, 200) },
  ],

  // deliberation
  "GET /api/evaluations/{id}/deliberation/settings": { roles: PUBLIC },
  "PUT /api/evaluations/{id}/deliberation/settings": { roles: organiserOnly(200), body: () => ({ statementModeration: "permissive" }) },
  "GET /api/evaluations/{id}/posts": { roles: PUBLIC },
  "POST /api/evaluations/{id}/posts": [
    { roles: authorOnly(201) },
    // discussion closes with the evaluation, for organisers too
    { label: "closed", state: { status: "closed" }, roles: discussionStopped },
  ],
  "GET /api/evaluations/{id}/posts/{postId}": { roles: PUBLIC },
  // only a post's author edits it (the post is the participant's)
  "PATCH /api/evaluations/{id}/posts/{postId}": { roles: row(UNAUTH, FORBIDDEN, 200, FORBIDDEN, FORBIDDEN, FORBIDDEN) },
  "POST /api/evaluations/{id}/posts/{postId}/replies": { roles: authorOnly(201) },
  // a flag asks the organisers to look at a post: members and organisers, consent or not (it is not a contribution used in results)
  "POST /api/evaluations/{id}/posts/{postId}/flags": { roles: row(UNAUTH, 201, 201, FORBIDDEN, FORBIDDEN, 201) },
  "POST /api/evaluations/{id}/posts/{postId}/moderation": { roles: organiserOnly(201), params: (f) => ({ postId: f.postToModerate }), body: () => ({ action: "hide", reason: "off topic" }) },
  "GET /api/evaluations/{id}/moderation": { roles: PUBLIC },
  "GET /api/evaluations/{id}/statements": { roles: PUBLIC },
  "POST /api/evaluations/{id}/statements": [
    { roles: authorOnly(201) },
    { label: "closed", state: { status: "closed" }, roles: discussionStopped },
  ],
  "GET /api/evaluations/{id}/statements/next": { roles: contributorOnly(200) },
  "GET /api/evaluations/{id}/statements/votes/mine": { roles: participantOnly(200) },
  "PUT /api/evaluations/{id}/statements/{statementId}/vote": [
    { roles: contributorOnly(200) },
    { label: "closed", state: { status: "closed" }, roles: contributionStopped(NOT_OPEN) },
  ],
  "POST /api/evaluations/{id}/statements/{statementId}/moderation": { roles: organiserOnly(201), params: (f) => ({ statementId: f.statementToModerate }) },
  "POST /api/evaluations/{id}/statements/import": { roles: organiserOnly(201), body: () => ({ comments: POLIS_COMMENTS, votes: POLIS_VOTES, consentScopes: ["aggregate"] }) },
  "GET /api/evaluations/{id}/opinion": { roles: PUBLIC },
  "GET /api/evaluations/{id}/deliberative-poll": { roles: PUBLIC },

  // governance: participants and organisers propose; ballots are the participants' (recorded without consent, counted only with it)
  "GET /api/evaluations/{id}/proposals": { roles: PUBLIC },
  "POST /api/evaluations/{id}/proposals": {
    roles: row(UNAUTH, 201, 201, FORBIDDEN, FORBIDDEN, 201),
    body: () => ({ kind: "custom", title: "Publish the rubric", deadline: inAWeek() }),
  },
  "GET /api/evaluations/{id}/proposals/{proposalId}": { roles: PUBLIC },
  "PUT /api/evaluations/{id}/proposals/{proposalId}/ballot": { roles: participantOnly(200) },
  // anyone in the evaluation may close a proposal once its deadline has passed; this one's is a week away
  "POST /api/evaluations/{id}/proposals/{proposalId}/close": {
    roles: row(UNAUTH, refusal(409, "proposal_still_open"), refusal(409, "proposal_still_open"), refusal(409, "proposal_still_open"), FORBIDDEN, refusal(409, "proposal_still_open")),
  },

  // dissent: written, signed and endorsed by participants (counted only with consent); answered by the sponsor
  "GET /api/evaluations/{id}/dissent": { roles: PUBLIC },
  "GET /api/evaluations/{id}/minority-reports": { roles: PUBLIC },
  "POST /api/evaluations/{id}/minority-reports": { roles: participantOnly(201) },
  "POST /api/evaluations/{id}/minority-reports/{reportId}/signatures": { roles: participantOnly(201) },
  "GET /api/evaluations/{id}/demands": { roles: PUBLIC },
  "POST /api/evaluations/{id}/demands": { roles: participantOnly(201) },
  "POST /api/evaluations/{id}/demands/{demandId}/endorsements": { roles: participantOnly(201) },
  "POST /api/evaluations/{id}/demands/{demandId}/answer": { roles: organiserOnly(200) },
  "POST /api/evaluations/{id}/demands/{demandId}/progress": { roles: organiserOnly(200), body: () => ({ status: "acknowledged" }) },
  "POST /api/evaluations/{id}/demands/{demandId}/milestones": { roles: organiserOnly(201) },
  "POST /api/evaluations/{id}/demands/{demandId}/milestones/{milestoneId}/done": { roles: organiserOnly(200) },

  // labour: my hours are mine; the ledger (per-person pay) is the payer's
  "GET /api/evaluations/{id}/me/labour": { roles: participantOnly(200) },
  "GET /api/evaluations/{id}/labour": { roles: PUBLIC },
  "GET /api/evaluations/{id}/labour/ledger": { roles: organiserOnly(200) },
  "POST /api/evaluations/{id}/payouts": { roles: organiserOnly(201), bodyNamesRows: true, body: (f) => ({ participant: f.participantPseudonym, amountMinor: 100 }) },
  "PUT /api/evaluations/{id}/me/sponsor-rating": { roles: participantOnly(200) },

  // exports: made by organisers, logged in public; every contributor sees where their data went
  "POST /api/evaluations/{id}/exports": { roles: organiserOnly(201) },
  "GET /api/evaluations/{id}/exports": { roles: PUBLIC },
  "GET /api/evaluations/{id}/me/exports": { roles: participantOnly(200) },
  "POST /api/evaluations/{id}/exports/{exportId}/notices": { roles: organiserOnly(201), body: () => ({ participant: "all" }) },
  "POST /api/evaluations/{id}/imports": { roles: organiserOnly(201), body: () => ({ format: "outputs-csv", content: "item,subject,response\nq-matrix,Imported-1,An imported answer\n" }) },
  "GET /api/evaluations/{id}/card": { roles: PUBLIC },
};

let server: TestServer;
let scenario: Scenario;
let fixtures: Fixtures;
let standing: Actors;
let onDraft: Actors;
let observerToken: string;

function expectStatus(res: { status: number; body: unknown }, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
}

async function joinAsObserver(token: string): Promise<Client> {
  const observer = new Client(server.baseUrl);
  expectStatus(await observer.post(`/api/invitations/${token}/join`, {}), 201, "observer joins");
  return observer;
}

const elsewhere = new WeakMap<Client, string>();

/** An organiser of another evaluation (its slug kept in `elsewhere`). */
async function organiserElsewhere(): Promise<Client> {
  const organiser = await signUp(server.baseUrl, "Other organiser");
  const slug = `elsewhere-${(slugs += 1)}-${Date.now().toString(36)}`;
  expectStatus(await organiser.post("/api/evaluations", { slug, title: "Elsewhere", charter: { purpose: "p", sponsor: "s" } }), 201, "another evaluation");
  elsewhere.set(organiser, slug);
  return organiser;
}

async function freshActors(): Promise<Actors> {
  return {
    noConsent: await joinAs(server.baseUrl, scenario, null),
    participant: await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]),
    observer: await joinAsObserver(observerToken),
    otherOrganiser: await organiserElsewhere(),
    organiser: scenario.organiser,
  };
}

/** A draft evaluation of the same organiser, with its own participants and observer (links work before it opens). */
async function draftEvaluation(): Promise<{ slug: string; actors: Actors }> {
  const slug = `draft-${Date.now().toString(36)}`;
  const { organiser } = scenario;
  expectStatus(await organiser.post("/api/evaluations", { slug, title: "Not yet open", charter: { purpose: "p", sponsor: "s", scopes: ["aggregate"] } }), 201, "the draft");
  const link = async (role: string) => (await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role })).body.invitation.token;
  const draft: Scenario = { ...scenario, slug, invitation: await link("participant") };
  return {
    slug,
    actors: {
      noConsent: await joinAs(server.baseUrl, draft, null),
      participant: await joinAs(server.baseUrl, draft, ["aggregate"]),
      observer: await joinAsObserver(await link("observer")),
      otherOrganiser: standing.otherOrganiser,
      organiser,
    },
  };
}

async function judgeOne(client: Client, slug: string): Promise<string> {
  const view = await client.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
  expectStatus(view, 201, "an assignment");
  const cast = await client.post<{ judgment: { id: string } }>(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
  expectStatus(cast, 201, "a judgment");
  return cast.body.judgment.id;
}

before(async () => {
  server = await startTestServer();
  const prompts = ["How do I apply for housing benefit?", "Am I eligible for a council tax reduction?", "Where do I report a broken streetlight?"];
  // participants may write their own prompts (live battles), so that route's refusals are the consent and availability rules
  scenario = await openEvaluation(server.baseUrl, { participantItems: "moderated" }, prompts);
  const { organiser, slug } = scenario;
  const base = `/api/evaluations/${slug}`;
  const observerInvitation = await organiser.post<{ invitation: { token: string } }>(`${base}/invitations`, { role: "observer", maxUses: 50 });
  expectStatus(observerInvitation, 201, "observer invitation");
  observerToken = observerInvitation.body.invitation.token;
  standing = await freshActors();
  const participant = standing.participant;
  const author = await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]);

  // results need counted judgments on at least two subjects; one more assignment is left open for the matrix
  const judgmentId = await judgeOne(participant, slug);
  await judgeOne(author, slug);
  await judgeOne(author, slug);
  const open = await participant.post<{ token: string; item: { id: string } }>(`${base}/assignments`, { mode: "pairwise" });
  expectStatus(open, 201, "the open assignment");
  const itemId = scenario.items.find((item) => item.id !== open.body.item.id)?.id as string;

  const spareInvitation = await organiser.post<{ invitation: { token: string } }>(`${base}/invitations`, { role: "participant" });
  const spareSubject = await organiser.post<{ subject: { id: string } }>(`${base}/subjects`, { name: "Delta-4", kind: "model", organisation: "Org D" });
  const spareItem = await organiser.post<{ item: { id: string } }>(`${base}/items`, { prompt: "A spare prompt" });
  const post = await participant.post<{ post: { id: string } }>(`${base}/posts`, { targetKind: "evaluation", text: "Alpha is clearer" });
  const postToModerate = await participant.post<{ post: { id: string } }>(`${base}/posts`, { targetKind: "evaluation", text: "Buy cheap watches" });
  const statement = await organiser.post<{ statement: { id: string } }>(`${base}/statements`, { text: "Answers should cite the rule" });
  const statementToModerate = await author.post<{ statement: { id: string } }>(`${base}/statements`, { text: "Answers should be short" });
  const proposal = await participant.post<{ proposal: { id: string } }>(`${base}/proposals`, { kind: "custom", title: "Add a Welsh version", deadline: inAWeek() });
  const report = await author.post<{ report: { id: string } }>(`${base}/minority-reports`, { title: "We disagree", text: "The ranking ignores tenants." });
  const demand = await author.post<{ demand: { id: string } }>(`${base}/demands`, { title: "Pay reviewers", text: "Pay everyone who judges." });
  const milestone = await organiser.post<{ demand: { milestones: { id: string }[] } }>(`${base}/demands/${demand.body.demand.id}/milestones`, { title: "Budget approved" });
  const exported = await organiser.post<{ record: { id: string } }>(`${base}/exports`, { scope: "publish", recipient: "Open data portal", purpose: "Publication" });
  const me = await participant.get<{ participant: { pseudonym: string } }>(`${base}/me`);
  const draft = await draftEvaluation();
  onDraft = draft.actors;
  for (const [what, res, status] of [
    ["spare invitation", spareInvitation, 201],
    ["spare subject", spareSubject, 201],
    ["spare item", spareItem, 201],
    ["post", post, 201],
    ["post to moderate", postToModerate, 201],
    ["statement", statement, 201],
    ["statement to moderate", statementToModerate, 201],
    ["proposal", proposal, 201],
    ["minority report", report, 201],
    ["demand", demand, 201],
    ["milestone", milestone, 201],
    ["export", exported, 201],
    ["me", me, 200],
  ] as const) {
    expectStatus(res, status, what);
  }
  fixtures = {
    slug,
    token: scenario.invitation,
    itemId,
    judgmentId,
    subjectId: spareSubject.body.subject.id,
    postId: post.body.post.id,
    statementId: statement.body.statement.id,
    proposalId: proposal.body.proposal.id,
    reportId: report.body.report.id,
    demandId: demand.body.demand.id,
    milestoneId: milestone.body.demand.milestones[0]?.id as string,
    exportId: exported.body.record.id,
    openAssignment: open.body.token,
    spareInvitation: spareInvitation.body.invitation.token,
    observerToken,
    spareItem: spareItem.body.item.id,
    postToModerate: postToModerate.body.post.id,
    statementToModerate: statementToModerate.body.statement.id,
    participantPseudonym: me.body.participant.pseudonym,
    draftSlug: draft.slug,
  };
});
after(async () => server?.close());

async function setState(state: { status?: string; phase?: string }): Promise<void> {
  expectStatus(await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, state), 200, `the evaluation set to ${JSON.stringify(state)}`);
}

function pathFor(op: Operation, expectation: Expectation): string {
  const overrides = expectation.params?.(fixtures) ?? {};
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = name === "id" ? (expectation.onDraft ? fixtures.draftSlug : fixtures.slug) : (overrides[name] ?? (fixtures as unknown as Record<string, string | undefined>)[name]);
    if (!value) throw new Error(`${op.key}: no fixture for the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function bodyFor(op: Operation, expectation: Expectation, resolve: (s: JsonSchema) => JsonSchema): unknown {
  if (expectation.body) return expectation.body(fixtures);
  return op.body ? minimalValue(op.body, resolve) : undefined;
}

const describe = (outcome: Outcome) => (typeof outcome === "number" ? String(outcome) : `${outcome.status} ${outcome.code}`);

function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after).filter((table) => after[table] !== before[table]);
}

/** Calls `op` as every role; returns what differs from the expectation (empty when the row holds). */
async function runRow(op: Operation, expectation: Expectation, resolve: (s: JsonSchema) => JsonSchema): Promise<string[]> {
  const actors = expectation.onDraft ? onDraft : expectation.fresh ? await freshActors() : standing;
  const path = pathFor(op, expectation) + (expectation.query ? `?${expectation.query}` : "");
  const mismatches: string[] = [];
  // the counts after a call that wrote nothing are the counts before the next one
  let known: Record<string, number> | null = null;
  for (const role of ROLES) {
    const allowed = [expectation.roles[role]].flat();
    const client = role === "anonymous" ? new Client(server.baseUrl) : actors[role];
    const body = bodyFor(op, expectation, resolve);
    // Every table is counted, none ignored: in this matrix no read writes (sessions are made only by joining and
    // signing up, and an expired proposal is closed on read only past its deadline, a week away).
    const mustNotWrite = allowed.every((outcome) => typeof outcome !== "number") || expectation.unchanged?.includes(role);
    const counts = mustNotWrite ? (known ?? (await rowCounts(server.pool))) : null;
    known = null;
    const res = await client.request(op.method, path, body);
    const got = res.status >= 400 ? `${res.status} ${String((res.body as { code?: unknown }).code)}` : String(res.status);
    const wanted = allowed.map(describe);
    if (res.status >= 500) mismatches.push(`${role}: a 5xx (${got}): ${JSON.stringify(res.body).slice(0, 300)}`);
    else if (!wanted.includes(got)) mismatches.push(`${role}: expected ${wanted.join(" or ")}, got ${got}: ${JSON.stringify(res.body).slice(0, 300)}`);
    if (res.status >= 400 && !/^application\/problem\+json/.test(res.contentType)) mismatches.push(`${role}: a ${res.status} that is not problem+json (${res.contentType})`);
    const problem = res.status < 400 ? expectation.check?.(role, res.body) : null;
    if (problem) mismatches.push(`${role}: ${problem}`);
    for (const [field, value] of Object.entries(expectation.answer?.[role] ?? {})) {
      const actual = (res.body as Record<string, unknown>)[field];
      if (JSON.stringify(actual) !== JSON.stringify(value)) mismatches.push(`${role}: answered ${field} = ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
    }
    if (counts) {
      const afterCounts = await rowCounts(server.pool);
      const changed = changedTables(counts, afterCounts);
      if (changed.length) mismatches.push(`${role}: ${res.status >= 400 ? "refused" : "a no-op"}, yet rows changed in ${changed.join(", ")}`);
      else known = afterCounts;
    }
  }
  return mismatches;
}

/** The operation's rows, and for a public read of one evaluation the draft row its rule implies (unless written out). */
function rowsOf(op: Operation): Expectation[] {
  const rows = [EXPECTED[op.key] as Expectation | Expectation[]].flat();
  const readsOneEvaluation = op.method === "GET" && op.params.join() === "id" && rows[0]?.roles === PUBLIC;
  if (readsOneEvaluation && !rows.some((r) => r.onDraft)) rows.push({ label: "a draft", onDraft: true, roles: DRAFT });
  return rows;
}

test("every documented operation, as every role, answers as the rules say; refusals write nothing", async (t) => {
  const { operations, resolve } = await documentedOperations(server.baseUrl);
  const documented = new Set(operations.map((op) => op.key));
  assert.deepEqual(operations.map((op) => op.key).filter((key) => !EXPECTED[key]), [], "every operation in /api/openapi.json has a row in the matrix (classify new routes)");
  assert.deepEqual(Object.keys(EXPECTED).filter((key) => !documented.has(key)), [], "every row of the matrix is a documented operation");

  let rows = 0;
  const started = Date.now();
  for (const op of operations) {
    for (const expectation of rowsOf(op)) {
      rows += 1;
      await t.test(expectation.label ? `${op.key} (${expectation.label})` : op.key, async () => {
        if (expectation.state) await setState(expectation.state);
        try {
          assert.deepEqual(await runRow(op, expectation, resolve), []);
        } finally {
          if (expectation.state) await setState({ status: "open", phase: "judge" });
        }
      });
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`# route × role matrix: ${operations.length} operations × ${ROLES.length} roles (${rows} rows with variants, ${rows * ROLES.length} calls) in ${seconds} s\n`);
});

/**
 * Ids of this evaluation reached through another one: its organiser, and a participant of both, name this
 * evaluation's assignment, item, judgment, subject, post, statement, proposal, report, demand, milestone, export
 * or pseudonym under the other evaluation's address. Wherever their role there lets them act, the answer must
 * be that no such thing exists there (404), and nothing is written.
 */
test("ids of this evaluation, sent through another evaluation by its organiser or a participant of both, are not found there", async (t) => {
  const { operations, resolve } = await documentedOperations(server.baseUrl);
  const organiser = standing.otherOrganiser;
  const slug = elsewhere.get(organiser) as string;
  // the other evaluation takes contributions and revisions, so that no state rule answers first
  expectStatus(await organiser.patch(`/api/evaluations/${slug}`, { status: "open", phase: "revise" }), 200, "the other evaluation opens");
  const link = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "participant" });
  const both = standing.participant;
  expectStatus(await both.post(`/api/invitations/${link.body.invitation.token}/join`, {}), 201, "the participant joins the other evaluation too");
  expectStatus(await both.put(`/api/evaluations/${slug}/consent`, { scopes: ["aggregate"] }), 200, "and consents there");

  let calls = 0;
  for (const op of operations) {
    const expectation = [EXPECTED[op.key] as Expectation | Expectation[]].flat().find((r) => !r.label) ?? rowsOf(op)[0];
    const namesRows = op.params.some((p) => p !== "id") || expectation?.bodyNamesRows;
    if (!expectation || !op.path.includes("{id}") || !namesRows) continue;
    const mayAct = (role: RoleName) => [expectation.roles[role]].flat().every((outcome) => typeof outcome === "number");
    const callers = [...(mayAct("organiser") ? [["its organiser", organiser] as const] : []), ...(mayAct("participant") ? [["a participant of both", both] as const] : [])];
    await t.test(op.key, async () => {
      const problems: string[] = [];
      for (const [who, client] of callers) {
        const path = pathFor(op, expectation).replace(`/api/evaluations/${encodeURIComponent(fixtures.slug)}`, `/api/evaluations/${slug}`);
        const counts = await rowCounts(server.pool);
        const res = await client.request(op.method, path, bodyFor(op, expectation, resolve));
        calls += 1;
        const code = (res.body as { code?: unknown }).code;
        if (res.status !== 404 || code !== "not_found") problems.push(`${who}: expected 404 not_found, got ${res.status} ${String(code)}: ${JSON.stringify(res.body).slice(0, 300)}`);
        const changed = changedTables(counts, await rowCounts(server.pool));
        if (changed.length) problems.push(`${who}: rows changed in ${changed.join(", ")}`);
      }
      assert.deepEqual(problems, []);
    });
  }
  assert.ok(calls >= 25, `only ${calls} cross-evaluation calls were made`);
  process.stdout.write(`# cross-evaluation ids: ${calls} calls\n`);
});
