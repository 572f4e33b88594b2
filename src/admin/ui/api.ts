/**
 * What the admin pages ask the server (src/server/report-routes.ts, src/privacy/admin-routes.ts). A 401 means the
 * session ended: the browser goes to the sign-in page and comes back to the page it was on.
 */
import type { Report } from '../../analytics/report.ts';

export type { Report };

export interface ArticleDraft {
  path: string;
  content: string;
}

export interface DataRequest {
  id: string;
  kind: 'export' | 'erase';
  /** Null once the customer was erased. */
  customerId: string | null;
  source: 'conversation' | 'admin';
  status: 'open' | 'done';
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
}

/** What an erase could not reach (docs/privacy.md): per desk, what is left there, and whether Redis answered. */
export interface EraseResult {
  copies?: Record<string, { left: string[]; error?: string }>;
  redis?: { error?: string };
}

export class RequestFailed extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function toSignIn(): never {
  window.location.assign(`/agent/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  throw new RequestFailed(401, 'signed out');
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', ...init });
  if (response.status === 401) toSignIn();
  if (!response.ok) {
    const body = await response.json().catch(() => undefined) as { error?: { message?: string } } | undefined;
    throw new RequestFailed(response.status, body?.error?.message ?? `the server answered ${response.status}`);
  }
  return await response.json() as T;
}

export const report = (since: string) => call<Report>(`/admin/api/report?since=${encodeURIComponent(since)}`);

export const articleDraft = (questions: readonly string[]) =>
  call<ArticleDraft>(`/admin/api/report/article?${new URLSearchParams(questions.map((q) => ['q', q]))}`);

export const dataRequests = async () => (await call<{ requests: DataRequest[] }>('/admin/data-requests')).requests;

export const erase = (customerId: string) => call<EraseResult>(`/admin/customers/${encodeURIComponent(customerId)}/erase`, { method: 'POST' });

export const exportUrl = (customerId: string) => `/admin/customers/${encodeURIComponent(customerId)}/export`;

/** What an erase left behind, in words for the admin, who has to remove it by hand; empty when it reached everything. */
export function leftBehind(result: EraseResult): string[] {
  const notes = Object.entries(result.copies ?? {}).map(([desk, done]) => done.error
    ? `${desk}: its messages could not be deleted (${done.error}); delete them there: ${done.left.join(', ')}`
    : done.left.length ? `${desk}: ${done.left.length} message(s) written by people are left there; a workspace admin can delete them: ${done.left.join(', ')}` : '').filter(Boolean);
  if (result.redis?.error) notes.push('Redis was not reachable: erase again when it is up.');
  return notes;
}
