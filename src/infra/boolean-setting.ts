import { z } from 'zod';

/** An on/off setting: 1, true, yes, on or 0, false, no, off. */
export const booleanSetting = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));
