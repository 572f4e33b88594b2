/**
 * The load generator the HTTP benchmarks share: a closed loop of N workers, each owning one web chat conversation
 * and sending its next message as soon as the previous answer arrived (unique messageId per turn, keep-alive
 * HTTP/1.1), spread request by request over one or more servers; an open loop at a steady rate; plus the bare Node
 * `http` server they are compared with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { freePort } from '../test/support/server-process.ts';

export interface LoadOptions {
  /** Base URLs; turn i of worker w goes to `targets[(w + i) % targets.length]` (round-robin, no stickiness). */
  targets: string[];
  concurrency: number;
  /** Measurement starts once every worker has had one answer and at least this long has passed. */
  warmupMs: number;
  /** …or after this long even if some workers are still waiting for their first answer. Default: max(20 × warmupMs, 10 s). */
  maxWarmupMs?: number;
  measureMs: number;
  /**
   * The window stays open past `measureMs` until this many turns finished in it (at most `maxMeasureMs`), so a cell
   * always holds at least one round of every conversation. Default: the concurrency.
   */
  minTurns?: number;
  /** Default: max(5 × measureMs, 30 s). */
  maxMeasureMs?: number;
  /** What worker w sends as its turn i. */
  text: (turn: number, worker: number) => string;
  /** Conversation ids are `<label>-<worker>`; default: unique per call. */
  conversation?: (worker: number) => string;
  /** Called with each 200 answer's body of the first turns (for checking what the server answered). */
  inspect?: (body: string, turn: number, worker: number) => void;
}

export interface LoadResult {
  /** Turns answered 200 that finished inside the measurement window. */
  turns: number;
  /** Non-200 answers and failed requests inside the window. */
  errors: number;
  /** How long the window was. */
  seconds: number;
  /** Workers that had their first answer when the measurement started (less than the concurrency: warm-up cut short). */
  warmedUp: number;
  /** Latency of every counted turn, sorted ascending. */
  latenciesMs: number[];
}

export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
  p999: number;
  samples: number;
  errors: number;
  warmedUp: number;
}

/** A hard cap on requests per worker, so a loop is bounded even if the clock misbehaves. */
const MAX_REQUESTS_PER_WORKER = 1_000_000;

function post(agent: Agent, url: URL, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)); // read the whole answer, as a client would
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs the closed loop. Counts the turns that *finish* inside the measurement window (whenever they started), so
 * a window shorter than one turn's latency at high concurrency still measures the steady state; turns/s is the
 * count over the window's actual length.
 */
export async function closedLoop(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, targets, measureMs } = options;
  const minTurns = options.minTurns ?? concurrency;
  const maxMeasureMs = options.maxMeasureMs ?? Math.max(5 * measureMs, 30_000);
  const maxWarmupMs = options.maxWarmupMs ?? Math.max(20 * options.warmupMs, 10_000);
  const urls = targets.map((base) => new URL('/api/webchat/messages', base));
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: concurrency }));
  const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  const conversation = options.conversation ?? ((w: number) => `bench-${run}-${w}`);
  const latenciesMs: number[] = [];
  let errors = 0;
  let warmedUp = 0;
  let measureFrom = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let closed = false;
  let warmedUpAtStart = 0;
  const timers: NodeJS.Timeout[] = [];
  const close = (at: number) => {
    if (closed) return;
    closed = true;
    windowEnd = at;
  };
  const counted = () => latenciesMs.length + errors;
  const started = performance.now();
  const startMeasuring = () => {
    if (measureFrom !== Number.POSITIVE_INFINITY) return;
    measureFrom = performance.now();
    warmedUpAtStart = warmedUp;
    timers.push(setTimeout(() => counted() >= minTurns && close(measureFrom + measureMs), measureMs));
    timers.push(setTimeout(() => close(measureFrom + maxMeasureMs), maxMeasureMs));
  };
  timers.push(setTimeout(startMeasuring, maxWarmupMs));
  const warmedUpOne = () => {
    if (++warmedUp !== concurrency) return;
    timers.push(setTimeout(startMeasuring, Math.max(0, started + options.warmupMs - performance.now())));
  };

  const worker = async (w: number) => {
    const conversationId = conversation(w);
    for (let i = 0; i < MAX_REQUESTS_PER_WORKER && !closed; i++) {
      const sentAt = performance.now();
      const t = (w + i) % targets.length;
      const body = JSON.stringify({ conversationId, messageId: `${run}-${i}`, text: options.text(i, w) });
      let ok = false;
      try {
        const answer = await post(agents[t]!, urls[t]!, body);
        ok = answer.status === 200;
        if (ok && i < 16) options.inspect?.(answer.body, i, w);
      } catch {
        ok = false;
      }
      const doneAt = performance.now();
      if (i === 0) warmedUpOne();
      if (doneAt >= measureFrom && !closed) {
        if (ok) latenciesMs.push(doneAt - sentAt);
        else errors++;
        if (doneAt - measureFrom >= measureMs && counted() >= minTurns) close(doneAt);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  for (const timer of timers) clearTimeout(timer);
  for (const agent of agents) agent.destroy();
  latenciesMs.sort((a, b) => a - b);
  return { turns: latenciesMs.length, errors, seconds: (windowEnd - measureFrom) / 1000, latenciesMs, warmedUp: warmedUpAtStart };
}

/**
 * An open loop: `ratePerSecond` turns a second in all, at fixed times, spread over `conversations` conversations in
 * turn; a conversation sends its next turn at its time whether or not the previous one was answered. A turn's latency
 * runs from the time it was due, not from when it was sent, so a server that falls behind is charged with the wait it
 * caused (no coordinated omission). Turns due in the first `warmupMs` are sent and not counted.
 */
export async function openLoop(options: { targets: string[]; conversations: number; ratePerSecond: number; warmupMs: number; measureMs: number; text: LoadOptions['text'] }): Promise<LoadResult> {
  const urls = options.targets.map((base) => new URL('/api/webchat/messages', base));
  const agents = options.targets.map(() => new Agent({ keepAlive: true, maxSockets: options.conversations }));
  const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  const gapMs = 1000 / options.ratePerSecond;
  const total = Math.floor((options.warmupMs + options.measureMs) / gapMs);
  const counted = Math.floor(options.warmupMs / gapMs);
  const latenciesMs: number[] = [];
  let errors = 0;
  const start = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let n = 0; n < total; n++) {
    const due = start + n * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const w = n % options.conversations;
    const turn = Math.floor(n / options.conversations);
    const t = n % urls.length;
    const body = JSON.stringify({ conversationId: `open-${run}-${w}`, messageId: `${run}-${n}`, text: options.text(turn, w) });
    sends.push(post(agents[t]!, urls[t]!, body).then(
      (answer) => {
        if (n < counted) return;
        if (answer.status === 200) latenciesMs.push(performance.now() - due);
        else errors++;
      },
      () => {
        if (n >= counted) errors++;
      },
    ));
  }
  await Promise.all(sends);
  for (const agent of agents) agent.destroy();
  latenciesMs.sort((a, b) => a - b);
  return { turns: latenciesMs.length, errors, seconds: options.measureMs / 1000, latenciesMs, warmedUp: options.conversations };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function figures(result: LoadResult): Figures {
  const sorted = result.latenciesMs;
  return {
    perSecond: result.turns / result.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    samples: sorted.length,
    errors: result.errors,
    warmedUp: result.warmedUp,
  };
}

/** A markdown table; the first column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A bare Node http server: reads the JSON body, answers one constant reply. Run as `node -e`. */
const BARE_SERVER = `
const http = require('node:http');
const reply = JSON.stringify({ duplicate: false, replies: [{ id: '1', text: 'Hi! How can I help?', buttons: [] }] });
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try { JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.writeHead(400).end(); return; }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(reply) });
    res.end(reply);
  });
});
server.keepAliveTimeout = 72000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the bare server as a child process (so it has its own event loop, like a Parley server process). */
export async function startBareServer(): Promise<BareServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['-e', BARE_SERVER], { env: { PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
