/**
 * What answered a preview's `call` step, as the preview chat's "why" says it: the editor's sample, a live call to a
 * safe endpoint, the endpoint's recorded answer and how old it is, the demo order API, or nothing (failed).
 */
export interface PreviewCall {
  endpoint: string;
  sample: boolean;
  live?: true;
  /** ISO time of the recorded answer the step got. */
  recordedAt?: string;
  demo?: true;
}

export function callSource(call: PreviewCall, now: number): string {
  if (call.live) return 'called for real: a safe endpoint, live calls allowed';
  if (call.sample) return 'answered by your sample';
  if (call.recordedAt !== undefined) return `answered by its answer recorded ${age(now - Date.parse(call.recordedAt))}`;
  if (call.demo) return 'answered by the demo order API';
  return 'no sample and nothing recorded: it failed as not configured';
}

/** "just now", "5 minutes ago", "3 hours ago", "3 days ago". */
export function age(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return 'just now';
  const [count, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}
