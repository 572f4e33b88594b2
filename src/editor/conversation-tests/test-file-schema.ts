/**
 * The conversation test format (`flows/**\/*.test.yaml`), as zod schemas; the JSON Schema editors get is
 * generated from these, so they hold no transforms. Reference with examples: docs/flows.md.
 *
 *   name: Order status                  # shown in the report
 *   flows_dir: .                        # optional, relative to this file; default: the directory under test
 *   locale: en                          # optional: the language the customer's channel reports, for every
 *                                       # test in the file (sent with each message, as channels do)
 *   tests:
 *     - name: asks for the number again when it is wrong
 *       locale: de                      # optional: this test's customer language, instead of the file's
 *       turns:
 *         - user: where is my order     # the customer types; or `press: Returns` (a button's title or
 *                                       # payload on screen); or `start: true` (the chat opens)
 *           bot: "Happy to help! ..."   # what the bot says this turn (see ReplyMatcher); then optionally:
 *           buttons: [Yes, No]          # the buttons the bot showed this turn (all replies), by title
 *           flow: order_status          # where the conversation waits after this turn (`~`: it waits nowhere)
 *           step: ask_number
 *           vars: { order_number: BW-12345 }   # these variables have these values (`~`: unset)
 *           handoff: true               # handed to a person this turn; or text the reason contains; false: not
 */
import { z } from 'zod';

/**
 * One reply: exact text, `{ contains: "..." }` (case-insensitive), or `{ matches: "regex" }`.
 * `bot:` with one matcher means exactly one reply; a list means that many replies, in order; `[]` none.
 */
export const ReplyMatcher = z.union([
  z.string(),
  z.strictObject({ contains: z.string().min(1) }),
  z.strictObject({
    matches: z.string().min(1).superRefine((source, ctx) => {
      try {
        new RegExp(source, 'u');
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `invalid regular expression (${(error as Error).message})` });
      }
    }),
  }),
]);

const VarExpectation = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const TurnSchema = z
  .strictObject({
    user: z.string().min(1).optional(),
    press: z.string().min(1).optional(),
    start: z.literal(true).optional(),
    bot: z.union([ReplyMatcher, z.array(ReplyMatcher)]).optional(),
    buttons: z.array(z.string()).optional(),
    flow: z.string().nullable().optional(),
    step: z.string().nullable().optional(),
    vars: z.record(z.string(), VarExpectation).optional(),
    handoff: z.union([z.boolean(), z.string().min(1)]).optional(),
  })
  .superRefine((turn, ctx) => {
    const given = (['user', 'press', 'start'] as const).filter((key) => turn[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0
          ? 'a turn needs what the customer does: user: "text", press: "Button", or start: true'
          : `a turn is one action; this one has ${given.join(' and ')}: split it into turns`,
      });
    }
  });

export const ConversationTestSchema = z.strictObject({
  name: z.string().min(1),
  /** The customer's language for this test, instead of the file's. */
  locale: z.string().min(2).optional(),
  turns: z.array(TurnSchema).min(1),
});

export const ConversationTestFileSchema = z.strictObject({
  name: z.string().min(1),
  flows_dir: z.string().min(1).optional(),
  locale: z.string().min(2).optional(),
  tests: z.array(ConversationTestSchema).min(1),
});

export type ReplyMatcherInput = z.infer<typeof ReplyMatcher>;
export type TurnInputSpec = z.infer<typeof TurnSchema>;
export type ConversationTestFile = z.infer<typeof ConversationTestFileSchema>;
