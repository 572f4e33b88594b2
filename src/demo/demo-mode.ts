import { ParleyError } from '../core/errors.ts';

/** Settings that mean Parley serves real people or holds real accounts' secrets: no demo mode with any of them. */
const REAL_SETTINGS = [
  'AGENTS',
  'AGENTS_FILE',
  'NOTIFY_API_KEYS',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_ACCESS_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'MicrosoftAppId',
  'MicrosoftAppPassword',
] as const;

export type DemoModeEnv = { DEMO_MODE?: boolean | undefined; WHATSAPP_WEB: boolean } & { [name in (typeof REAL_SETTINGS)[number]]?: string | undefined };

/**
 * Demo mode (a demo agent `demo` / `demo` who is an admin, the Bot Framework Emulator, 127.0.0.1 unless HOST is set)
 * is for trying Parley on one machine. Unset, it is on exactly when none of the real settings is set, so that
 * `npm start` on a fresh checkout is the README's demo and a deployment that configures agents or a channel never
 * gets the demo agent by forgetting DEMO_MODE=false. Asked for with a real setting, Parley refuses to start.
 */
export function demoModeOf(env: DemoModeEnv): boolean {
  const real: string[] = REAL_SETTINGS.filter((name) => env[name] !== undefined);
  if (env.WHATSAPP_WEB) real.push('WHATSAPP_WEB');
  if (env.DEMO_MODE === undefined) return real.length === 0;
  if (env.DEMO_MODE && real.length > 0) {
    throw new ParleyError(
      'CONFIG_INVALID',
      `Invalid configuration: DEMO_MODE: demo mode (the demo agent demo / demo) cannot run with ${real.join(', ')} set; set DEMO_MODE=false, or unset ${real.length === 1 ? 'it' : 'them'} to try the demo`,
    );
  }
  return env.DEMO_MODE;
}
