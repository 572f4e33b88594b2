/**
 * The server's side of the data directory's socket (data-dir-socket.ts): it runs the queries that command-line
 * tools send while this process holds the embedded database. One connection runs one statement at a time; a
 * transaction runs on its own connection, from `begin` to `commit` or `rollback`, and is rolled back when the
 * connection closes or stays idle for `idleTransactionMs` (PGlite runs nothing else meanwhile). Nothing of the SQL
 * or its values is logged.
 */
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../infra/logger.ts';
import {
  controlDir, encodeFrame, FrameReader, MAX_FRAME_BYTES, PROTOCOL_VERSION, socketAddress, toWireError,
  type ClientMessage, type ServerMessage,
} from './data-dir-socket.ts';
import type { Db, Queryable } from './types.ts';

export interface DataDirServerOptions {
  dataDir: string;
  /** The embedded database this process holds. */
  db: Db;
  logger: Logger;
  /** A transaction left without a statement this long is rolled back and its connection closed. Default 30 s. */
  idleTransactionMs?: number;
}

export interface DataDirServer {
  /** Stops taking connections, rolls back open transactions, closes every connection and removes the socket. */
  close(): Promise<void>;
}

const CLOSED = Symbol('closed');
const ROLLBACK = Symbol('rollback');

/** Answers SQL on `DATA_DIR/control/db.sock`; resolves undefined (with a warning) when the socket cannot be made. */
export async function serveDataDir(options: DataDirServerOptions): Promise<DataDirServer | undefined> {
  const { dataDir, logger } = options;
  const address = socketAddress(dataDir);
  const unavailable = (reason: string) => {
    logger.warn({ dataDir, reason }, 'command-line tools cannot reach the embedded database while this server runs');
    return undefined;
  };
  if (!address) return unavailable('the socket path under DATA_DIR is too long');
  const dir = controlDir(dataDir);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stat = await lstat(dir);
    if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) return unavailable(`${dir} is not a directory of this user`);
    await chmod(dir, 0o700);
    // This process holds the data directory, so a socket left here is an earlier process's.
    await rm(address, { force: true });
  } catch (error) {
    return unavailable(String(error));
  }

  const open = new Set<{ socket: Socket; done: Promise<void> }>();
  const server = createServer((socket) => {
    const connection = { socket, done: serveConnection(socket, options) };
    open.add(connection);
    void connection.done.finally(() => open.delete(connection));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => resolve());
    });
    await chmod(address, 0o600);
  } catch (error) {
    server.close();
    return unavailable(String(error));
  }
  server.on('error', (error) => logger.warn({ err: String(error) }, 'the data directory socket failed'));
  return {
    async close() {
      await new Promise<void>((resolve) => {
        (server as Server).close(() => resolve());
        for (const { socket } of open) socket.destroy();
      });
      await Promise.all([...open].map((c) => c.done));
      await rm(address, { force: true }).catch(() => {});
    },
  };
}

/** One client connection, until it closes: hello, then one answer per message, in order. */
async function serveConnection(socket: Socket, options: DataDirServerOptions): Promise<void> {
  const idleMs = options.idleTransactionMs ?? 30_000;
  const waiting: ClientMessage[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const reader = new FrameReader(MAX_FRAME_BYTES);
  socket.on('data', (chunk: Buffer) => {
    try {
      waiting.push(...(reader.push(chunk) as ClientMessage[]));
    } catch {
      socket.destroy();
    }
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  socket.on('error', () => {});

  /** The next message; CLOSED once the connection is gone or, with `timeoutMs`, after that long without one. */
  const next = async (timeoutMs?: number): Promise<ClientMessage | typeof CLOSED> => {
    let timer: NodeJS.Timeout | undefined;
    while (waiting.length === 0 && !closed) {
      const timedOut = await new Promise<boolean>((resolve) => {
        wake = () => resolve(false);
        if (timeoutMs !== undefined) timer = setTimeout(() => resolve(true), timeoutMs);
      });
      clearTimeout(timer);
      wake = undefined;
      if (timedOut) {
        options.logger.warn({ idleMs: timeoutMs }, 'a command-line transaction on the embedded database was idle too long: rolled back');
        socket.destroy();
        return CLOSED;
      }
    }
    return waiting.shift() ?? CLOSED;
  };
  const send = (message: ServerMessage) => {
    if (!socket.destroyed) socket.write(encodeFrame(message));
  };
  const run = async (on: Queryable, message: ClientMessage): Promise<ServerMessage> => {
    if (message.op !== 'query' || typeof message.sql !== 'string') return { ok: false, error: { message: `unexpected '${message.op}'` } };
    try {
      const result = await on.query(message.sql, Array.isArray(message.params) ? message.params : undefined);
      return { ok: true, rows: result.rows, rowCount: result.rowCount };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  };

  send({ hello: 'parley-db', version: PROTOCOL_VERSION, pid: process.pid });
  for (let message = await next(); message !== CLOSED; message = await next()) {
    if (message.op !== 'begin') {
      send(await run(options.db, message));
      continue;
    }
    try {
      await options.db.transaction(async (tx) => {
        send({ ok: true });
        for (let inTx = await next(idleMs); ; inTx = await next(idleMs)) {
          if (inTx === CLOSED) throw CLOSED;
          if (inTx.op === 'commit') return;
          if (inTx.op === 'rollback') throw ROLLBACK;
          send(await run(tx, inTx));
        }
      });
      send({ ok: true });
    } catch (error) {
      if (error === CLOSED) break;
      send(error === ROLLBACK ? { ok: true } : { ok: false, error: toWireError(error) });
    }
  }
  socket.destroy();
}
