import type { TurnHooks } from './turn-hooks.ts';

/**
 * Several parts' hooks as one: `beforeEngine` and `afterEngine` ask each in order and the first override wins
 * (earlier hooks take precedence, e.g. consent before handoff); `committed` runs every hook, in order.
 */
export function composeTurnHooks(list: readonly (TurnHooks | undefined)[]): TurnHooks | undefined {
  const hooks = list.filter((entry): entry is TurnHooks => entry !== undefined);
  if (hooks.length === 0) return undefined;
  if (hooks.length === 1) return hooks[0];
  return {
    async beforeTurn(conversation, input, inboundId, inbound) {
      for (const hook of hooks) {
        const override = await hook.beforeTurn?.(conversation, input, inboundId, inbound);
        if (override) return override;
      }
      return undefined;
    },
    async beforeEngine(conversation, input) {
      for (const hook of hooks) {
        const override = await hook.beforeEngine?.(conversation, input);
        if (override) return override;
      }
      return undefined;
    },
    async afterEngine(conversation, input, result) {
      for (const hook of hooks) {
        const override = await hook.afterEngine?.(conversation, input, result);
        if (override) return override;
      }
      return undefined;
    },
    async committed(conversation, inboundId, input, turn) {
      for (const hook of hooks) await hook.committed?.(conversation, inboundId, input, turn);
    },
  };
}
