import type { TurnHooks } from './turn-hooks.ts';

/**
 * Several parts' hooks as one: `beforeEngine` and `afterEngine` ask each in order and the first override wins
 * (earlier hooks take precedence, e.g. consent before handoff); `beforeCommit` and `committed` run every hook, in order.
 */
export function composeTurnHooks(list: readonly (TurnHooks | undefined)[]): TurnHooks | undefined {
  const hooks = list.filter((entry): entry is TurnHooks => entry !== undefined);
  if (hooks.length === 0) return undefined;
  if (hooks.length === 1) return hooks[0];
  return {
    async beforeTurn(conversation, input, inboundId, unit, inbound) {
      for (const hook of hooks) {
        const override = await hook.beforeTurn?.(conversation, input, inboundId, unit, inbound);
        if (override) return override;
      }
      return undefined;
    },
    async beforeEngine(conversation, input, unit) {
      for (const hook of hooks) {
        const override = await hook.beforeEngine?.(conversation, input, unit);
        if (override) return override;
      }
      return undefined;
    },
    async afterEngine(conversation, input, result, unit) {
      for (const hook of hooks) {
        const override = await hook.afterEngine?.(conversation, input, result, unit);
        if (override) return override;
      }
      return undefined;
    },
    beforeCommit(conversation, inboundId, input, turn, unit) {
      for (const hook of hooks) hook.beforeCommit?.(conversation, inboundId, input, turn, unit);
    },
    async committed(conversation, inboundId, input, turn) {
      for (const hook of hooks) await hook.committed?.(conversation, inboundId, input, turn);
    },
  };
}
