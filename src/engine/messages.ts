/** What the engine says on its own, when no flow says anything better. */
export const BUILT_IN = {
  /** Nothing matched and there is no `fallback: true` flow. */
  didNotCatch: "Sorry, I didn't catch that.",
  /** An ask ran out of retries and has no `on_fail`: the flow ends. */
  gaveUp: "Sorry, that still doesn't work for me, so I've stopped here. You can start again any time.",
  /** The step limit of one turn was reached (a loop of jumps); the conversation goes idle. */
  loop: 'Sorry, something went wrong on our side. Please try again, or ask for a person.',
} as const;
