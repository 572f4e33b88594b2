/**
 * What the engine says on its own, when no flow says anything better, in every language the engine knows.
 * A conversation in another language gets the English text.
 */
export const BUILT_IN_TEXTS = {
  /** Nothing matched and there is no `fallback: true` flow. */
  didNotCatch: { en: "Sorry, I didn't catch that.", de: 'Entschuldigung, das habe ich nicht verstanden.' },
  /** An ask ran out of retries and has no `on_fail`: the flow ends. */
  gaveUp: {
    en: "Sorry, that still doesn't work for me, so I've stopped here. You can start again any time.",
    de: 'Entschuldigung, das klappt leider immer noch nicht, deshalb höre ich hier auf. Sie können jederzeit neu beginnen.',
  },
  /** The step limit of one turn was reached (a loop of jumps), or a turn needed too many calls; the conversation goes idle. */
  loop: {
    en: 'Sorry, something went wrong on our side. Please try again, or ask for a person.',
    de: 'Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal oder fragen Sie nach einer Person.',
  },
  /** A call failed and its step has no `on_error`: the flow ends. */
  callFailed: {
    en: "Sorry, I can't reach our systems right now. Please try again in a few minutes, or ask for a person.",
    de: 'Entschuldigung, ich erreiche unsere Systeme gerade nicht. Bitte versuchen Sie es in ein paar Minuten noch einmal oder fragen Sie nach einer Person.',
  },
  /** An answer step was not confident enough and has no `on_unsure`. */
  unsure: {
    en: "I'm not sure I know the answer to that. Could you put it another way, or would you like to talk to a person?",
    de: 'Da bin ich mir leider nicht sicher. Können Sie es anders formulieren, oder möchten Sie mit einer Person sprechen?',
  },
  rephraseButton: { en: 'Rephrase', de: 'Anders fragen' },
  personButton: { en: 'Talk to a person', de: 'Kundenservice' },
  /** After the built-in "Rephrase" button. */
  rephrase: {
    en: 'Sure! Ask me again in other words, the more detail the better.',
    de: 'Gern! Fragen Sie mich noch einmal mit anderen Worten, je genauer, desto besser.',
  },
  /**
   * A flow handed over, but nobody could take it: no console agent works a queue (AGENTS holds editors only), no Slack
   * agent channel, no Bot Framework desk. Said after the flow's own words; the conversation stays with the bot.
   */
  noPerson: {
    en: "Sorry, there's no one from our team who can take this conversation here right now, so I'll keep helping you myself. Ask me anything.",
    de: 'Leider kann gerade niemand aus unserem Team dieses Gespräch hier übernehmen, deshalb helfe ich Ihnen selbst weiter. Fragen Sie mich gern.',
  },
  /** After the built-in "Talk to a person" button. */
  handingOff: {
    en: "I'm passing you to a colleague, together with this conversation, so you won't have to repeat yourself.",
    de: 'Ich gebe Sie an eine Kollegin oder einen Kollegen weiter, zusammen mit diesem Gespräch, damit Sie nichts wiederholen müssen.',
  },
  /** The understanding step was not sure what the customer asked: the closest candidates follow as buttons. */
  closest: {
    en: "I'm not sure I understood. Is it one of these? Or put it another way, or talk to a person.",
    de: 'Ich bin mir nicht sicher, ob ich Sie richtig verstanden habe. Geht es um eines davon? Oder formulieren Sie es anders, oder sprechen Sie mit einer Person.',
  },
  /** "I don't know" to an ask that has no `on_unknown` or `on_fail`: the question follows, with a person button. */
  noAnswer: {
    en: "No problem. A colleague can help you with this: tap “Talk to a person”. Or answer whenever you're ready.",
    de: 'Kein Problem. Eine Kollegin oder ein Kollege hilft Ihnen gern dabei: Tippen Sie auf „Kundenservice“. Oder antworten Sie, sobald Sie so weit sind.',
  },
  /** A question asked while an ask waits that the knowledge base then could not answer after all; the question follows. */
  asideUnsure: { en: "Sorry, I can't answer that one here.", de: 'Entschuldigung, das kann ich hier leider nicht beantworten.' },
  /** Under an answer from an article that exists only in another language. */
  inEnglish: { en: '(This article is in English.)', de: '(Dieser Artikel ist auf Englisch.)' },
  /** Before each source title under an answer from the knowledge base. */
  source: { en: 'Source', de: 'Quelle' },
} as const satisfies Record<string, { en: string; de: string }>;

/** The built-in texts in English (the engine's default locale). */
export const BUILT_IN = {
  didNotCatch: BUILT_IN_TEXTS.didNotCatch.en,
  gaveUp: BUILT_IN_TEXTS.gaveUp.en,
  loop: BUILT_IN_TEXTS.loop.en,
  callFailed: BUILT_IN_TEXTS.callFailed.en,
  unsure: BUILT_IN_TEXTS.unsure.en,
} as const;

/**
 * Payloads of the buttons the engine offers itself. They start with `#`, which no flow name or editor payload can
 * (`say` buttons must start a flow), so they never clash.
 */
export const BUILT_IN_PAYLOADS = { rephrase: '#rephrase', person: '#person' } as const;

/** The variable that keeps the customer's last question answered from the knowledge base, for follow-ups ("and the Pulse Mini?"). */
export const LAST_QUESTION_VAR = 'last_question';

/** An offered article: `#article:<id>` answers the question the customer asked from that article. */
export const ARTICLE_PAYLOAD = '#article:';
