/**
 * The Bot Framework channel's settings. Their zod shape is spread into src/config.ts's EnvSchema, so they are parsed
 * with every other setting, once, at start. The `Microsoft…` names are the ones Azure Bot Service, its samples and
 * botbuilder's ConfigurationBotFrameworkAuthentication use, so an existing bot's settings work unchanged.
 */
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/**
 * Hosts of Microsoft's channel services, the only places a `serviceUrl` may point at when an app id is set: every
 * Azure Bot Service channel (Web Chat, Direct Line and the others under botframework.com), Teams (public cloud, GCC,
 * GCC High, DoD), and the US Government and China (21Vianet) clouds. `*.` matches any subdomain, not the domain
 * itself; `*.trafficmanager.net` is deliberately not here, since anyone can register a name under it.
 */
export const DEFAULT_SERVICE_URL_HOSTS: readonly string[] = [
  '*.botframework.com',
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  '*.botframework.azure.us',
  '*.botframework.azure.cn',
  'frontend.botapi.msg.infra.teams.microsoftonline.cn',
];

const hostPattern = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const BOTFRAMEWORK_ENV = {
  /** The Bot Framework channel at POST /api/messages. On by default; it answers only with an app id or the Emulator setting. */
  BOTFRAMEWORK: flag.default(true),
  /** The bot's Microsoft App ID; set, every request must carry a valid Bot Framework token. */
  MicrosoftAppId: z.string().min(1).optional(),
  /** The app's client secret (MultiTenant / SingleTenant). */
  MicrosoftAppPassword: z.string().min(1).optional(),
  /** The app's Entra tenant (SingleTenant / UserAssignedMSI). */
  MicrosoftAppTenantId: z.string().min(1).optional(),
  /** MultiTenant, SingleTenant or UserAssignedMSI, as chosen when the Azure Bot resource was created. */
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  /**
   * Accept the Bot Framework Emulator: activities whose serviceUrl is on this machine (127.0.0.0/8, ::1, localhost),
   * sent from this machine; without an app id, unauthenticated. Unset: on in demo mode, else off.
   */
  BOTFRAMEWORK_EMULATOR: flag.optional(),
  /** Comma-separated hosts a serviceUrl may name (`*.` for any subdomain). Unset: Microsoft's channel services. */
  BOTFRAMEWORK_SERVICE_URL_HOSTS: z
    .string()
    .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.length > 0 && hosts.every((host) => hostPattern.test(host)), 'comma-separated host names, each optionally starting with *.')
    .optional(),
};

type BotFrameworkEnv = z.infer<z.ZodObject<typeof BOTFRAMEWORK_ENV>>;

export interface BotFrameworkConfig {
  /** Undefined: no authentication, only the Emulator (`emulator` is then true). */
  appId: string | undefined;
  appPassword: string | undefined;
  appTenantId: string | undefined;
  appType: BotFrameworkEnv['MicrosoftAppType'];
  /** Activities with a loopback serviceUrl, from a loopback client, are accepted (the Bot Framework Emulator). */
  emulator: boolean;
  /** Hosts a serviceUrl may name besides loopback ones in Emulator mode; `*.example.com` matches its subdomains. */
  serviceUrlHosts: readonly string[];
}

/**
 * Undefined when BOTFRAMEWORK is off, and when there is neither an app id nor the Emulator setting: unauthenticated
 * traffic from anywhere would make Parley post its replies wherever a request's serviceUrl points.
 */
export function botFrameworkConfig(e: BotFrameworkEnv & { DEMO_MODE: boolean }): BotFrameworkConfig | undefined {
  if (!e.BOTFRAMEWORK) return undefined;
  if (!e.MicrosoftAppId && (e.MicrosoftAppPassword || e.MicrosoftAppTenantId)) {
    throw new ParleyError('CONFIG_INVALID', 'Invalid configuration: MicrosoftAppId: required when MicrosoftAppPassword or MicrosoftAppTenantId is set');
  }
  if (e.MicrosoftAppId && e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
    throw new ParleyError('CONFIG_INVALID', `Invalid configuration: MicrosoftAppPassword: required with MicrosoftAppId for MicrosoftAppType ${e.MicrosoftAppType}`);
  }
  if (e.MicrosoftAppId && e.MicrosoftAppType !== 'MultiTenant' && !e.MicrosoftAppTenantId) {
    throw new ParleyError('CONFIG_INVALID', `Invalid configuration: MicrosoftAppTenantId: required for MicrosoftAppType ${e.MicrosoftAppType}`);
  }
  const emulator = e.BOTFRAMEWORK_EMULATOR ?? e.DEMO_MODE;
  if (!e.MicrosoftAppId && !emulator) return undefined;
  return {
    appId: e.MicrosoftAppId,
    appPassword: e.MicrosoftAppPassword,
    appTenantId: e.MicrosoftAppTenantId,
    appType: e.MicrosoftAppType,
    emulator,
    serviceUrlHosts: e.BOTFRAMEWORK_SERVICE_URL_HOSTS ?? DEFAULT_SERVICE_URL_HOSTS,
  };
}
