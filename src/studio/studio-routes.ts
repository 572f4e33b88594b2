/**
 * Parley Studio's HTTP API (the studio page uses it; automation can too), at /studio/api. Editors sign in as the
 * console's agents do (the same session cookie, or a bearer session id or agent token): an agent with
 * `"editor": true`, an admin, or the holder of ADMIN_TOKEN. Other agents get 403. Editors see flows, tests,
 * knowledge and the knowledge gaps' masked questions, never a conversation or a customer.
 *
 *   GET    /studio/api/files                     [{ path, kind, version, draft, removed?, problems }]
 *   GET    /studio/api/files/{path}              { path, content, version, draft, problems: [{ line, col, severity, message }] }
 *   PUT    /studio/api/files/{path}              { content, baseVersion } → { version, problems: [{ line, col, severity, message }] }
 *                                                409 CONFLICT with details { path, version, content, draft, updatedBy?, yours }
 *   DELETE /studio/api/files/{path}?baseVersion=N  drafts the file's removal → { version }
 *   POST   /studio/api/articles                  { questions } → 201 { path, version }: a draft article for unanswered questions (the report's "write the article")
 *   POST   /studio/api/preview                   { conversationId, text? | payload?, locale?, samples?, live? } → the draft set's replies and why
 *   POST   /studio/api/ask                       { question, locale? } → the draft set's knowledge base: { answer, confidence, sources, results }
 *   POST   /studio/api/tests                     { path? } → the draft set's conversation tests: [{ file, name, problems, tests: [{ name, failure? }] }]
 *   POST   /studio/api/publish                   { message } → 201 { release } | 422 CONTENT_INVALID { problems }
 *   GET    /studio/api/releases                  [{ release, at, by, message, source, files, changed }], newest first
 *   GET    /studio/api/releases/{release}        the same with `content` ({ path: text })
 *   POST   /studio/api/releases/{release}/restore → 201 { release }
 *   GET    /studio/api/flows/{flow}/stats?days=N per step of the flow: conversations that reached it, dropped off, were handed over
 *   GET    /studio/api/gaps                      questions the knowledge base could not answer (masked), grouped
 *   GET    /studio/api/me                        { id, name }
 *   GET    /studio/api/recorded                  [{ endpoint, steps: [{ flow, step, file }], recorded: { at, bytes, data } | null }]
 *   DELETE /studio/api/recorded[/{endpoint}]     forgets the recorded answer of one endpoint, or of all → { cleared }
 *   GET    /studio/api/placeholders              { opening_hours: { en, de } }: what {{opening_hours}} reads (OPENING_HOURS)
 * Preview, ask and tests run the engine or the knowledge base: STUDIO_TRY_LIMIT per editor per minute, then 429 RATE_LIMITED.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AgentSessions } from '../server/auth/agent-sessions.ts';
import type { AnalyticsRepository } from '../analytics/repository.ts';
import { ParleyError } from '../core/errors.ts';
import { isEditor } from '../handoff/agents.ts';
import { describeWeek } from '../hours/describe-week.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import type { RecordedResponses } from '../integrations/recorded-responses.ts';
import type { KnowledgeBase } from '../kb/types.ts';
import type { Queryable } from '../store/types.ts';
import { TokenBuckets } from '../infra/token-bucket.ts';
import { bearerMatches } from '../server/auth/admin-auth.ts';
import { articleDraft } from '../server/report-article.ts';
import { PAGE_CSP } from '../server/security-headers.ts';
import { changedPaths } from './file-set.ts';
import type { StudioPreview } from './preview.ts';
import type { ReleaseService } from './release-service.ts';
import type { Release } from './release-store.ts';
import type { StudioFiles } from './studio-files.ts';
import { checkStudioPath, kindOf } from './studio-paths.ts';

export interface StudioRoutesOptions {
  files: StudioFiles;
  releases: ReleaseService;
  preview: StudioPreview;
  /** The console's sign-in; absent when no agents are configured. */
  sessions?: AgentSessions;
  adminToken?: string;
  /** For the gaps list; absent when the app was given its own knowledge port. */
  knowledge?: KnowledgeBase;
  /** The analytics module's repository, for the flow map's per-step counts. */
  analytics: Pick<AnalyticsRepository, 'stepStats'>;
  /** Preview turns, questions and test runs per editor per minute (STUDIO_TRY_LIMIT); 0: no limit. */
  tryLimit: number;
  /** Each endpoint's latest real answer, which a preview's call step gets without a sample: listed and cleared here. */
  recorded?: RecordedResponses;
  /** The hours {{opening_hours}} describes (OPENING_HOURS, else the demo's week): the rendered article fills it. */
  openingHours: OpeningHoursSetting;
  now?: () => number;
}

/** Largest file the studio saves (characters). */
const MAX_CONTENT = 1_000_000;
const Version = z.coerce.number().int().min(0).max(2_147_483_647);
const SaveBody = z.strictObject({ content: z.string().max(MAX_CONTENT), baseVersion: Version });
const RemoveQuery = z.object({ baseVersion: Version });
const PublishBody = z.strictObject({ message: z.string().trim().min(1).max(500) });
const ReleaseParams = z.object({ release: z.string().regex(/^\d{1,9}$/, 'a release is a number').transform(Number) });
const Json = z.unknown();
const AskBody = z.strictObject({
  question: z.string().trim().min(1).max(2000),
  locale: z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en or de-AT').optional(),
});
const EndpointParams = z.object({ endpoint: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an endpoint name') });
const StatsParams = z.object({ flow: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a flow name') });
const StatsQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });
const ArticleBody = z.strictObject({ questions: z.array(z.string().trim().min(1).max(500)).min(1).max(4) });
const TestsBody = z.strictObject({ path: z.string().max(300).optional() });
const PreviewBody = z.strictObject({
  conversationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)'),
  text: z.string().min(1).max(2000).optional(),
  payload: z.string().min(1).max(256).optional(),
  locale: z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en or de-AT').optional(),
  samples: z.record(z.string().max(64), Json).optional(),
  /** Allow live calls to the endpoints marked safe in CALL_ENDPOINTS (never to others). */
  live: z.boolean().optional(),
}).refine((body) => body.text === undefined || body.payload === undefined, 'send text or a payload, not both');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

export async function registerStudioRoutes(app: FastifyInstance, options: StudioRoutesOptions): Promise<void> {
  const { files, releases, preview, sessions, adminToken } = options;
  const tries = new TokenBuckets({ perMinute: options.tryLimit, ...(options.now ? { now: options.now } : {}) });
  /** Preview, ask and tests each run the engine or the knowledge base: one editor flooding them waits (429). */
  function takeTry(editorId: string): void {
    const taken = tries.take(editorId);
    if (taken.ok) return;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    throw new ParleyError('RATE_LIMITED', `too many previews, questions and test runs; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  }

  async function editorOf(request: FastifyRequest): Promise<{ id: string; name: string }> {
    if (adminToken && bearerMatches(request.headers.authorization, adminToken)) return { id: 'admin', name: 'Admin token' };
    const agent = await sessions?.ofRequest(request);
    if (!agent) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    if (!isEditor(agent)) throw new ParleyError('FORBIDDEN', 'Parley Studio is for editors; ask an admin to make you one');
    return { id: agent.id, name: agent.name };
  }

  await app.register(async (studio) => {
    // Every answer is the editor's alone: never cached, never framed, nothing but Parley's own resources.
    studio.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store').header('content-security-policy', PAGE_CSP).header('x-frame-options', 'DENY');
    });
    studio.addHook('onRequest', async (request) => {
      (request as FastifyRequest & { editor?: { id: string; name: string } }).editor = await editorOf(request);
    });
    const editor = (request: FastifyRequest) => (request as FastifyRequest & { editor: { id: string; name: string } }).editor;
    const pathOf = (request: FastifyRequest) => (request.params as { '*': string })['*'];

    studio.get('/studio/api/me', async (request) => editor(request));

    // In the languages {{opening_hours}} is written in (describe-week.ts): the rendered article reads as customers get it.
    studio.get('/studio/api/placeholders', async () => ({
      opening_hours: { en: describeWeek(options.openingHours, 'en'), de: describeWeek(options.openingHours, 'de') },
    }));

    studio.get('/studio/api/files', async () => files.list());

    studio.get('/studio/api/files/*', async (request) => files.open(pathOf(request)));

    studio.put('/studio/api/files/*', { bodyLimit: 4 * MAX_CONTENT }, async (request) => {
      const body = parse(SaveBody, request.body);
      return files.save(pathOf(request), body.content, body.baseVersion, editor(request).id);
    });

    studio.delete('/studio/api/files/*', async (request) => {
      const { baseVersion } = parse(RemoveQuery, request.query);
      const { version } = await files.save(pathOf(request), null, baseVersion, editor(request).id);
      return { version };
    });

    studio.post('/studio/api/articles', async (request, reply) => {
      const { questions } = parse(ArticleBody, request.body);
      const draft = articleDraft(questions);
      const { files: draftSet } = await files.draftSet();
      const stem = draft.fileName.replace(/\.md$/, '');
      // The same questions again open the article already drafted; another article of that name gets a number.
      for (let n = 1; n <= 50; n++) {
        const path = `knowledge/${stem}${n === 1 ? '' : `-${n}`}.md`;
        if (draftSet[path] === draft.content) return reply.status(200).send({ path, version: (await files.get(path)).version });
        if (draftSet[path] !== undefined) continue;
        const { version } = await files.save(path, draft.content, (await files.versionOf(path)), editor(request).id);
        return reply.status(201).send({ path, version });
      }
      throw new ParleyError('CONFLICT', `knowledge/${stem}.md and 49 more of that name exist; rename one`);
    });

    studio.post('/studio/api/preview', async (request) => {
      const body = parse(PreviewBody, request.body);
      takeTry(editor(request).id);
      const { files: draftSet } = await files.draftSet();
      return preview.turn(editor(request).id, draftSet, {
        conversationId: body.conversationId,
        ...(body.text === undefined ? {} : { text: body.text }),
        ...(body.payload === undefined ? {} : { payload: body.payload }),
        ...(body.locale === undefined ? {} : { locale: body.locale }),
        ...(body.samples === undefined ? {} : { samples: body.samples }),
        ...(body.live === undefined ? {} : { live: body.live }),
      });
    });

    studio.post('/studio/api/ask', async (request) => {
      const body = parse(AskBody, request.body);
      takeTry(editor(request).id);
      const { files: draftSet } = await files.draftSet();
      const { answer, confidence, sources, results } = await preview.ask(draftSet, body.question, body.locale);
      return { answer, confidence, sources, results };
    });

    studio.post('/studio/api/tests', async (request) => {
      const body = parse(TestsBody, request.body);
      if (body.path !== undefined && kindOf(checkStudioPath(body.path)) !== 'test') throw new ParleyError('BAD_REQUEST', 'path must name a .test.yaml file');
      takeTry(editor(request).id);
      const { files: draftSet } = await files.draftSet();
      return preview.runTests(draftSet, body.path);
    });

    studio.post('/studio/api/publish', async (request, reply) => {
      const { message } = parse(PublishBody, request.body);
      const release = await releases.publishDrafts({ by: editor(request).id, message });
      return reply.status(201).send({ release: summary(release) });
    });

    studio.get('/studio/api/releases', async () => (await releases.summaries(100)).map((r) => ({
      release: r.id, at: r.at.toISOString(), by: r.by, message: r.message, source: r.source, files: r.paths, changed: r.changed,
    })));

    studio.get('/studio/api/releases/:release', async (request) => {
      const { release: id } = parse(ReleaseParams, request.params);
      const [release, previous] = await Promise.all([releases.get(id), id > 1 ? releases.get(id - 1) : undefined]);
      if (!release) throw new ParleyError('NOT_FOUND', `no release ${id}`);
      return { ...summary(release, previous), content: release.files };
    });

    studio.post('/studio/api/releases/:release/restore', async (request, reply) => {
      const { release: id } = parse(ReleaseParams, request.params);
      const release = await releases.restore(id, editor(request).id);
      return reply.status(201).send({ release: summary(release) });
    });

    studio.get('/studio/api/flows/:flow/stats', async (request) => {
      const { flow } = parse(StatsParams, request.params);
      const { days } = parse(StatsQuery, request.query);
      const now = new Date(options.now?.() ?? Date.now());
      return options.analytics.stepStats(flow, { since: new Date(now.getTime() - days * 86_400_000), now });
    });

    // What a preview's call step gets without a sample: each endpoint's recorded answer (masked, at most 16 KiB), with
    // the draft set's call steps that use it; endpoints that call steps use and nothing recorded are listed too.
    studio.get('/studio/api/recorded', async () => {
      const [kept, { files: draftSet }] = await Promise.all([options.recorded?.list() ?? [], files.draftSet()]);
      const steps = await preview.callSteps(draftSet);
      const endpoints = [...new Set([...kept.map((k) => k.endpoint), ...steps.map((s) => s.endpoint)])].sort();
      return endpoints.map((endpoint) => {
        const answer = kept.find((k) => k.endpoint === endpoint);
        return {
          endpoint,
          steps: steps.filter((s) => s.endpoint === endpoint).map(({ flow, step, file }) => ({ flow, step, file })),
          recorded: answer ? { at: answer.recordedAt.toISOString(), bytes: answer.bytes, data: answer.data } : null,
        };
      });
    });

    const clearRecorded = async (request: FastifyRequest, endpoint?: string) => {
      const cleared = (await options.recorded?.clear(endpoint)) ?? 0;
      request.log.info({ editor: editor(request).id, endpoint: endpoint ?? '(all)', cleared }, 'studio: recorded call answers cleared');
      return { cleared };
    };
    studio.delete('/studio/api/recorded', async (request) => clearRecorded(request));
    studio.delete('/studio/api/recorded/:endpoint', async (request) => clearRecorded(request, parse(EndpointParams, request.params).endpoint));

    studio.get('/studio/api/gaps', async () => (options.knowledge ? options.knowledge.gaps({ limit: 100 }) : []));
  });
}

/** A release as the API lists it: who, when, why, its files and those it changed from the release before it. */
function summary(release: Release, previous?: Release) {
  return {
    release: release.id,
    at: release.at.toISOString(),
    by: release.by,
    message: release.message,
    source: release.source,
    files: Object.keys(release.files).sort(),
    ...(previous || release.id === 1 ? { changed: changedPaths(previous?.files ?? {}, release.files) } : {}),
  };
}
