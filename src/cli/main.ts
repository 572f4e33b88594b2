import { isParleyError } from '../core/errors.ts';

const USAGE = `Usage: parley <command>

Commands:
  start     run the server (web chat at http://localhost:$PORT)
  flows     check, test and export the schema of the flow files (parley flows help)
  chat      chat with the flows in the terminal, as a customer (parley chat --help)
  kb        check, inspect and query the knowledge base; list its gaps (parley kb help)
  route     what the understanding step decides for each message on stdin, as JSON lines (--flows, --kb)
  customers export or erase a customer's data; data requests (parley customers help)
  report    what customers did and said: containment, handoffs, ratings, drop-off, gaps (--since 7d, --json)
  publish   publish the files under FLOWS_DIR and KNOWLEDGE_DIR as a release (--message "…"; parley publish --help)
  releases  list the releases; export one as files (parley releases export ID --out DIR)
  help      show this help
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  // Loaded on demand, so `parley flows check` does not load the server (fastify, Redis, …) it does not use.
  start: async () => (await import('./start.ts')).startCommand(),
  flows: async (args) => (await import('./flows.ts')).flowsCommand(args),
  chat: async (args) => (await import('./chat.ts')).chatCommand(args),
  kb: async (args) => (await import('./kb.ts')).kbCommand(args),
  route: async (args) => (await import('./route.ts')).routeCommand(args),
  customers: async (args) => (await import('./customers.ts')).customersCommand(args),
  report: async (args) => (await import('./report.ts')).reportCommand(args),
  publish: async (args) => (await import('./releases.ts')).publishCommand(args),
  releases: async (args) => (await import('./releases.ts')).releasesCommand(args),
  help: async () => {
    process.stdout.write(USAGE);
    return 0;
  },
};

/** Runs one `parley` command and returns its exit code; coded errors print one line and map to their exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...args] = argv;
  const command = commands[name];
  if (!command) {
    process.stderr.write(`parley: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args);
  } catch (error) {
    if (isParleyError(error)) {
      process.stderr.write(`parley: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
