/**
 * The Bot Framework channel's settings. Their zod shape is spread into src/config.ts's EnvSchema, so they are parsed
 * with every other setting, once, at start. The `Microsoft…` names are the ones Azure Bot Service, its samples and
 * botbuilder's ConfigurationBotFrameworkAuthentication use, so an existing bot's settings work unchanged.
 */
import { z } from 'zod';
import { ParleyError } from './core/errors.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

export const BOTFRAMEWORK_ENV = {
  /** The Bot Framework channel at POST /api/messages. On by default: without an app id it serves the Emulator. */
  BOTFRAMEWORK: flag.default(true),
  /** The bot's Microsoft App ID; set, every request must carry a valid Bot Framework token. */
  MicrosoftAppId: z.string().min(1).optional(),
  /** The app's client secret (MultiTenant / SingleTenant). */
  MicrosoftAppPassword: z.string().min(1).optional(),
  /** The app's Entra tenant (SingleTenant / UserAssignedMSI). */
  MicrosoftAppTenantId: z.string().min(1).optional(),
  /** MultiTenant, SingleTenant or UserAssignedMSI, as chosen when the Azure Bot resource was created. */
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
};

type BotFrameworkEnv = z.infer<z.ZodObject<typeof BOTFRAMEWORK_ENV>>;

export interface BotFrameworkConfig {
  /** Undefined: no authentication, as the Bot Framework Emulator expects. */
  appId: string | undefined;
  appPassword: string | undefined;
  appTenantId: string | undefined;
  appType: BotFrameworkEnv['MicrosoftAppType'];
}

/** Undefined when BOTFRAMEWORK is off. */
export function botFrameworkConfig(e: BotFrameworkEnv): BotFrameworkConfig | undefined {
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
  return { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appTenantId: e.MicrosoftAppTenantId, appType: e.MicrosoftAppType };
}
