import { isParleyError } from '../core/errors.ts';
import { startCommand } from './start.ts';

const USAGE = `Usage: parley <command>

Commands:
  start     run the server (web chat at http://localhost:$PORT)
  help      show this help
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  start: () => startCommand(),
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
