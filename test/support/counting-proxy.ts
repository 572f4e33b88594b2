import net from 'node:net';

/** One request burst a client sent and then waited for, with what it asked (for a failure's message). */
export interface Trip {
  /** Which connection of the client (1-based, in the order they opened). */
  connection: number;
  /** The commands or statements of the burst, shortened. */
  requests: string[];
}

/**
 * A TCP proxy that counts round trips: the bursts a client sends and then waits for. Bytes from the client after
 * the server last answered open a new trip; bytes sent before the answer arrives belong to the same trip, so a
 * pipeline, or several statements written at once, is one. `protocol` only names what each trip asked.
 */
export class CountingProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private connections = 0;
  private recording: Trip[] | undefined;
  port = 0;

  constructor(private readonly upstream: { host: string; port: number }, private readonly protocol: 'postgres' | 'redis') {
    this.server = net.createServer((client) => this.pipe(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Starts recording trips, forgetting any recorded before. */
  start(): void {
    this.recording = [];
  }

  /** Stops recording and returns the trips since `start()`. */
  stop(): Trip[] {
    const trips = this.recording ?? [];
    this.recording = undefined;
    return trips;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: net.Socket): void {
    const connection = ++this.connections;
    const server = net.connect(this.upstream.port, this.upstream.host);
    this.sockets.add(client).add(server);
    let open: Trip | undefined;
    client.on('data', (chunk: Buffer) => {
      if (this.recording) {
        if (!open) {
          open = { connection, requests: [] };
          this.recording.push(open);
        }
        open.requests.push(...describe(chunk, this.protocol));
      }
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      open = undefined;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  }
}

/** The commands (Redis) or statements (PostgreSQL) in one chunk from a client, each shortened to a line. */
function describe(chunk: Buffer, protocol: 'postgres' | 'redis'): string[] {
  return protocol === 'redis' ? redisCommands(chunk) : postgresStatements(chunk);
}

function redisCommands(chunk: Buffer): string[] {
  const text = chunk.toString('latin1');
  const commands: string[] = [];
  // `*<n>\r\n` then n bulk strings `$<len>\r\n<bytes>\r\n`: the name and its first arguments (for EVAL and
  // EVALSHA, the first key).
  let offset = 0;
  while (text.startsWith('*', offset)) {
    const count = Number(text.slice(offset + 1, text.indexOf('\r\n', offset)));
    offset = text.indexOf('\r\n', offset) + 2;
    const parts: string[] = [];
    for (let i = 0; i < count && text.startsWith('$', offset); i++) {
      const length = Number(text.slice(offset + 1, text.indexOf('\r\n', offset)));
      const from = text.indexOf('\r\n', offset) + 2;
      parts.push(text.slice(from, from + length));
      offset = from + length + 2;
    }
    if (parts.length === 0) break;
    const name = parts[0]!.toUpperCase();
    const shown = name === 'EVAL' || name === 'EVALSHA' ? parts.slice(3, 4) : parts.slice(1, 2);
    // A script that only extends a key's expiry (a lock's renewal) is told apart from the others.
    const label = name === 'EVAL' && /pexpire/.test(parts[1] ?? '') && !/del/.test(parts[1] ?? '') ? 'EVAL(pexpire)' : name;
    commands.push([label, ...shown.map((part) => part.slice(0, 70))].join(' '));
  }
  return commands.length > 0 ? commands : ['(redis bytes)'];
}

function postgresStatements(chunk: Buffer): string[] {
  const statements: string[] = [];
  const types: string[] = [];
  let offset = 0;
  while (offset + 5 <= chunk.length) {
    const type = String.fromCharCode(chunk[offset]!);
    const length = chunk.readInt32BE(offset + 1);
    if (length < 4) break;
    const body = chunk.subarray(offset + 5, offset + 1 + length);
    types.push(type);
    if (type === 'Q') statements.push(oneLine(body.toString('utf8')));
    else if (type === 'P') {
      const nameEnd = body.indexOf(0);
      statements.push(oneLine(body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8')));
    }
    offset += 1 + length;
  }
  return statements.length > 0 ? statements : [`(postgres ${types.join('')} ${chunk.toString('hex').slice(0, 60)})`];
}

function oneLine(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
