/**
 * Prints the hash to put in AGENTS for a password (`scrypt$…`) or, with --token, for a token (`sha256$…`):
 *   npx tsx src/handoff/hash-secret.ts 'a long password'
 *   npx tsx src/handoff/hash-secret.ts --token "$(openssl rand -hex 32)"
 */
import { hashPassword, hashToken } from '../infra/secret-hash.ts';

const args = process.argv.slice(2);
const token = args[0] === '--token';
const secret = token ? args[1] : args[0];
if (!secret) {
  process.stderr.write('usage: hash-secret.ts <password> | --token <token>\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`${token ? hashToken(secret) : hashPassword(secret)}\n`);
}
