/**
 * A command's side of the data directory's socket (data-dir-socket.ts): a Db whose statements the server holding
 * the embedded database runs. Same SQL, same results (rows keep their Dates and bytes), same error fields.
 */
import { connect, type Socket } from 'node:net';
import { ParleyError } from '../core/errors.ts';
import {
  encodeFrame, FrameReader, fromWireError, PROTOCOL_VERSION, socketAddress,
  type Answer, type ClientMessage, type ServerMessage,
} from './data-dir-socket.ts';
import type { Db, Queryable, QueryResult } from './types.ts';

const HELLO_TIMEOUT_MS = 5_000;

/** One connection: requests answered in the order they were sent. */
class Connection {
  private readonly pending: { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }[] = [];
  private gone: Error | undefined;

  private constructor(private readonly socket: Socket, readonly serverPid: number) {}

  /** Connects and reads the server's hello; undefined when nothing answers there (no server, or a socket left behind). */
  static async open(dataDir: string): Promise<Connection | undefined> {
    const address = socketAddress(dataDir);
    if (!address) return undefined;
    const socket = connect(address);
    const reader = new FrameReader();
    const hello = await new Promise<ServerMessage | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), HELLO_TIMEOUT_MS);
      const finish = (message: ServerMessage | undefined) => {
        clearTimeout(timer);
        socket.off('data', onData).off('error', onEnd).off('close', onEnd);
        resolve(message);
      };
      const onData = (chunk: Buffer) => {
        try {
          const [first] = reader.push(chunk) as ServerMessage[];
          if (first) finish(first);
        } catch {
          finish(undefined);
        }
      };
      const onEnd = () => finish(undefined);
      socket.on('data', onData).on('error', onEnd).on('close', onEnd);
    });
    if (!hello || !('hello' in hello) || hello.hello !== 'parley-db') {
      socket.destroy();
      return undefined;
    }
    if (hello.version !== PROTOCOL_VERSION) {
      socket.destroy();
      throw new ParleyError('DATABASE_UNAVAILABLE', `The server holding the embedded database in ${dataDir} (pid ${hello.pid}) is another version of Parley: stop it, or use the same version`);
    }
    const connection = new Connection(socket, hello.pid);
    connection.listen(reader, dataDir);
    return connection;
  }

  private listen(reader: FrameReader, dataDir: string): void {
    this.socket.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk) as ServerMessage[]) this.pending.shift()?.resolve(message);
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.gone = new ParleyError('DATABASE_UNAVAILABLE', `The server holding the embedded database in ${dataDir} (pid ${this.serverPid}) closed the connection`);
      for (const waiting of this.pending.splice(0)) waiting.reject(this.gone);
    });
  }

  async request(message: ClientMessage): Promise<Answer & { ok: true }> {
    if (this.gone) throw this.gone;
    const answer = await new Promise<ServerMessage>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeFrame(message));
    });
    if (!('ok' in answer)) throw new ParleyError('DATABASE_UNAVAILABLE', 'The server holding the embedded database answered out of turn');
    if (!answer.ok) throw fromWireError(answer.error);
    return answer;
  }

  async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    const answer = await this.request(params && params.length > 0 ? { op: 'query', sql, params } : { op: 'query', sql });
    return { rows: (answer.rows ?? []) as R[], rowCount: answer.rowCount ?? 0 };
  }

  close(): void {
    this.socket.end();
  }
}

/**
 * A Db through the server that holds the embedded database under `dataDir`, or undefined when no server answers on
 * its socket. Its transactions run on a connection of their own, as `pg`'s do on a client of their own.
 */
export async function connectDataDir(dataDir: string): Promise<Db | undefined> {
  const main = await Connection.open(dataDir);
  if (!main) return undefined;
  return {
    kind: 'pglite',
    query: <R>(sql: string, params?: unknown[]) => main.query<R>(sql, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const connection = await Connection.open(dataDir);
      if (!connection) throw new ParleyError('DATABASE_UNAVAILABLE', `The server holding the embedded database in ${dataDir} no longer answers`);
      try {
        await connection.request({ op: 'begin' });
        let result: T;
        try {
          result = await fn({ query: (sql, params) => connection.query(sql, params) });
        } catch (error) {
          await connection.request({ op: 'rollback' }).catch(() => {});
          throw error;
        }
        await connection.request({ op: 'commit' });
        return result;
      } finally {
        connection.close();
      }
    },
    async close() {
      main.close();
    },
  };
}
