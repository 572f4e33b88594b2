/**
 * The studio's HTTP API as the page calls it (/studio/api/…, src/studio/). The session cookie goes along by itself;
 * a 401 sends the browser to the console's sign-in page, which brings it back here.
 */
import type { FlowStepStats } from '../../analytics/step-stats.ts';
import type { KnowledgeAnswer } from '../../core/knowledge-port.ts';
import type { FileOutcome } from '../../editor/conversation-tests/run-tests.ts';
import type { StudioProblem } from '../check-file-set.ts';
import type { OpenedStudioFile, StudioFileEntry } from '../studio-files.ts';
import type { PreviewCall } from './call-source.ts';

export type FileEntry = StudioFileEntry;

/** A file as opened, with its problems among all the drafts. */
export type OpenedFile = OpenedStudioFile;
export type StepStats = FlowStepStats;
export type AskAnswer = Pick<KnowledgeAnswer, 'answer' | 'confidence' | 'sources' | 'results'>;
export type TestFileOutcome = FileOutcome;

/** A problem as a save lists it (in its file) or a refused publish does (with its path). */
export type Problem = Omit<StudioProblem, 'path'> & { path?: string };

export interface Release {
  release: number;
  at: string;
  by: string;
  message: string;
  files: string[];
  changed?: string[];
}

export interface PreviewReply {
  text: string;
  buttons: { title: string; payload: string }[];
}

export interface PreviewTurn {
  conversationId: string;
  replies: PreviewReply[];
  handoff?: string;
  understood?: {
    decision: { kind: 'flow'; flow: string; confidence: number } | { kind: 'knowledge'; article: string; confidence: number } | { kind: 'decline'; confidence: number };
    candidates: { kind: string; id: string; score: number; title: string }[];
    language?: string;
    query?: string;
    intent?: { name: string; confidence: number };
    why: string;
  };
  calls: PreviewCall[];
  flow: string | null;
  step: string | null;
}

export type SaveResult =
  | { kind: 'saved'; version: number; problems: Problem[] }
  | { kind: 'conflict'; theirs: { content: string | null; version: number } };

export type PublishResult = { kind: 'published'; release: number } | { kind: 'refused'; problems: Problem[] };

/** An answer the page did not expect, with Parley's error code and message when it sent them. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly body: unknown) {
    super(message);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { headers: JSON_HEADERS, body: JSON.stringify(body) }) });
  if (response.status === 401) {
    window.location.assign(`/agent/login?next=${encodeURIComponent('/studio')}`);
    throw new ApiError(401, 'UNAUTHORIZED', 'signed out', null);
  }
  const json = await response.json().catch(() => null);
  return { status: response.status, json };
}

function fail(status: number, json: any): never {
  const error = json?.error ?? {};
  throw new ApiError(status, String(error.code ?? status), String(error.message ?? `the server answered ${status}`), json);
}

/** `flows/greeting.yaml` → `/studio/api/files/flows/greeting.yaml`, each segment escaped. */
const fileUrl = (path: string) => `/studio/api/files/${path.split('/').map(encodeURIComponent).join('/')}`;

export async function me(): Promise<{ id: string; name: string }> {
  const { status, json } = await call('GET', '/studio/api/me');
  if (status !== 200) fail(status, json);
  return json;
}

/** An endpoint's recorded answer (the latest real one, masked) and the call steps of the drafts that use it. */
export interface RecordedEntry {
  endpoint: string;
  steps: Array<{ flow: string; step: string; file: string }>;
  recorded: { at: string; bytes: number; data: unknown } | null;
}

export async function recordedAnswers(): Promise<RecordedEntry[]> {
  const { status, json } = await call('GET', '/studio/api/recorded');
  if (status !== 200) fail(status, json);
  return json;
}

/** Forgets one endpoint's recorded answer, or every one; how many were recorded. */
export async function clearRecorded(endpoint?: string): Promise<number> {
  const { status, json } = await call('DELETE', endpoint === undefined ? '/studio/api/recorded' : `/studio/api/recorded/${encodeURIComponent(endpoint)}`);
  if (status !== 200) fail(status, json);
  return json.cleared;
}

/** What the placeholders in articles read, per language: `{{opening_hours}}` is OPENING_HOURS in words. */
export interface Placeholders {
  opening_hours: { en: string; de: string };
}

export async function placeholders(): Promise<Placeholders> {
  const { status, json } = await call('GET', '/studio/api/placeholders');
  if (status !== 200) fail(status, json);
  return json;
}

export async function signOut(): Promise<void> {
  await fetch('/agent/logout', { method: 'POST' });
  window.location.assign(`/agent/login?next=${encodeURIComponent('/studio')}`);
}

export async function listFiles(): Promise<FileEntry[]> {
  const { status, json } = await call('GET', '/studio/api/files');
  if (status !== 200) fail(status, json);
  return json;
}

export async function openFile(path: string): Promise<OpenedFile> {
  const { status, json } = await call('GET', fileUrl(path));
  if (status !== 200) fail(status, json);
  return json;
}

export async function saveFile(path: string, content: string, baseVersion: number): Promise<SaveResult> {
  const { status, json } = await call('PUT', fileUrl(path), { content, baseVersion });
  return savedOrConflict(status, json);
}

/** A save's answer: saved, or a conflict with the text saved meanwhile. */
function savedOrConflict(status: number, json: any): SaveResult {
  if (status === 200) return { kind: 'saved', version: json.version, problems: json.problems ?? [] };
  if (status === 409) {
    const theirs = json?.error?.details ?? {};
    return { kind: 'conflict', theirs: { content: theirs.content ?? null, version: theirs.version } };
  }
  return fail(status, json);
}

/** Drafts the file's removal. */
export async function removeFile(path: string, baseVersion: number): Promise<SaveResult> {
  const { status, json } = await call('DELETE', `${fileUrl(path)}?baseVersion=${baseVersion}`);
  return savedOrConflict(status, json);
}

/** Questions customers asked that the knowledge base could not answer (masked), grouped, most asked first. */
export interface Gap {
  count: number;
  question: string;
  examples: string[];
  nearestArticleId: string | null;
}

export async function listGaps(): Promise<Gap[]> {
  const { status, json } = await call('GET', '/studio/api/gaps');
  if (status !== 200) fail(status, json);
  return json;
}

/** A draft article for questions customers asked and the knowledge base could not answer (the report's gaps). */
export async function draftArticle(questions: string[]): Promise<{ path: string; version: number }> {
  const { status, json } = await call('POST', '/studio/api/articles', { questions });
  if (status !== 200 && status !== 201) fail(status, json);
  return json;
}

/** The flow's per-step counts over the last `days` days. */
export async function flowStats(flow: string, days = 30): Promise<StepStats> {
  const { status, json } = await call('GET', `/studio/api/flows/${encodeURIComponent(flow)}/stats?days=${days}`);
  if (status !== 200) fail(status, json);
  return json;
}

/** "Try a question": the drafts' knowledge base, ranked results and the answer. */
export async function ask(question: string, locale?: string): Promise<AskAnswer> {
  const { status, json } = await call('POST', '/studio/api/ask', { question, ...(locale ? { locale } : {}) });
  if (status !== 200) fail(status, json);
  return json;
}

/** Runs the drafts' conversation tests: all, or one `.test.yaml`. */
export async function runTests(path?: string): Promise<TestFileOutcome[]> {
  const { status, json } = await call('POST', '/studio/api/tests', path ? { path } : {});
  if (status !== 200) fail(status, json);
  return json;
}

export async function preview(request: { conversationId: string; text?: string; payload?: string; locale?: string; samples?: Record<string, unknown>; live?: boolean }): Promise<PreviewTurn> {
  const { status, json } = await call('POST', '/studio/api/preview', request);
  if (status !== 200) fail(status, json);
  return json;
}

export async function publish(message: string): Promise<PublishResult> {
  const { status, json } = await call('POST', '/studio/api/publish', { message });
  if (status === 201) return { kind: 'published', release: json.release.release };
  if (status === 422) return { kind: 'refused', problems: json?.error?.details?.problems ?? [] };
  return fail(status, json);
}

export async function listReleases(): Promise<Release[]> {
  const { status, json } = await call('GET', '/studio/api/releases');
  if (status !== 200) fail(status, json);
  return json;
}

/** A release's whole content, `{ path: text }`. */
export async function releaseContent(release: number): Promise<Record<string, string>> {
  const { status, json } = await call('GET', `/studio/api/releases/${release}`);
  if (status !== 200) fail(status, json);
  return json.content;
}

export async function restore(release: number): Promise<number> {
  const { status, json } = await call('POST', `/studio/api/releases/${release}/restore`);
  if (status !== 201) fail(status, json);
  return json.release.release;
}
