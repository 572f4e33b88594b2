/**
 * Customers ask for their data in conversation ("delete my data", "lösche meine Daten", "export my data"): a turn
 * hook, before the engine and before the handoff's triggers, in bot mode. The bot asks them to confirm (two buttons;
 * a typed "1"/"yes"/"ja" or "2"/"no"/"nein" works on channels without buttons); on yes it opens a data request
 * (data_requests) that admins see at GET /admin/data-requests, and tells the customer what happens next. Nothing is
 * erased or sent from the conversation itself: the channel does not prove who is writing, so an admin carries the
 * request out (`parley customers export|erase`, or the admin API) after checking it.
 */
import type { Button } from '../core/message.ts';
import { asksFor } from '../core/understanding.ts';
import { localize } from '../engine/localize.ts';
import type { ConversationState } from '../engine/types.ts';
import type { TurnHooks, TurnOverride } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation } from '../store/types.ts';
import { DATA_ERASE_INTENT, DATA_EXPORT_INTENT, detectDataRequest } from './data-request-intent.ts';
import type { DataRequestKind, DataRequests } from './data-requests.ts';

/** Payloads of the confirmation buttons (`#` keeps them apart from every flow's payloads). */
export const PRIVACY_PAYLOAD = { erase: '#privacy:erase', export: '#privacy:export', cancel: '#privacy:cancel' } as const;

const TEXTS = {
  confirmErase: {
    en: "You'd like us to delete the data we hold about you: your conversations, your messages and your contact details. This can't be undone. Shall we go ahead?",
    de: 'Sie möchten, dass wir die Daten löschen, die wir über Sie gespeichert haben: Ihre Gespräche, Ihre Nachrichten und Ihre Kontaktdaten. Das lässt sich nicht rückgängig machen. Sollen wir das tun?',
  },
  confirmExport: {
    en: "You'd like a copy of the data we hold about you. Shall we prepare it?",
    de: 'Sie möchten eine Kopie der Daten, die wir über Sie gespeichert haben. Sollen wir sie vorbereiten?',
  },
  yesErase: { en: 'Yes, delete my data', de: 'Ja, Daten löschen' },
  yesExport: { en: 'Yes, please', de: 'Ja, bitte' },
  no: { en: 'No, keep it', de: 'Nein, abbrechen' },
  erasePlaced: {
    en: 'Thank you. Your request to delete your data is with our team (reference {ref}). A colleague will carry it out within one month; after that, your conversations and everything we hold about you are gone, and this chat starts empty.',
    de: 'Danke. Ihre Anfrage zur Löschung Ihrer Daten liegt bei unserem Team (Referenz {ref}). Eine Kollegin oder ein Kollege führt sie innerhalb eines Monats aus; danach sind Ihre Gespräche und alle Daten, die wir über Sie haben, gelöscht, und dieser Chat beginnt leer.',
  },
  exportPlaced: {
    en: "Thank you. Your request for a copy of your data is with our team (reference {ref}). A colleague will send it to you within one month, once we've checked that it's really you.",
    de: 'Danke. Ihre Anfrage nach einer Kopie Ihrer Daten liegt bei unserem Team (Referenz {ref}). Eine Kollegin oder ein Kollege schickt sie Ihnen innerhalb eines Monats, sobald wir geprüft haben, dass Sie es wirklich sind.',
  },
  cancelled: { en: 'All right, nothing has changed.', de: 'In Ordnung, es bleibt alles, wie es ist.' },
} as const;

const YES = /^\s*(?:1|yes|y|yeah|yep|ok|okay|sure|please|yes please|ja|j|ja bitte|jawohl|gerne|bitte)\s*[.!]*\s*$/i;
const NO = /^\s*(?:2|no|n|nope|cancel|nein|abbrechen|lieber nicht|doch nicht)\s*[.!]*\s*$/i;

export interface PrivacyHooksOptions {
  requests: DataRequests;
  logger: Logger;
}

type Reply = Extract<TurnOverride, { kind: 'reply' }>;

export function createPrivacyHooks(options: PrivacyHooksOptions): TurnHooks {
  const text = (key: keyof typeof TEXTS, locale: string | undefined, ref = '') => localize(TEXTS[key], locale).replace('{ref}', ref);

  function withoutOffer(state: ConversationState): ConversationState {
    const { offered: _offered, ...rest } = state;
    return rest;
  }

  async function confirmed(conversation: Conversation, kind: DataRequestKind, locale: string | undefined): Promise<Reply> {
    const { request, created } = await options.requests.open(kind, conversation.customerId, 'conversation');
    if (created) options.logger.info({ conversationId: conversation.id, dataRequestId: request.id, kind }, 'data request opened by the customer');
    const ref = request.id.slice(0, 8).toUpperCase();
    return { kind: 'reply', replies: [{ text: text(kind === 'erase' ? 'erasePlaced' : 'exportPlaced', locale, ref) }], state: withoutOffer(conversation.state) };
  }

  return {
    async beforeEngine(conversation, input) {
      if (input.event === 'start') return undefined;
      const locale = conversation.state.locale ?? conversation.locale ?? undefined;
      const offered = conversation.state.offered ?? [];
      const ours = offered.find((b) => b.payload === PRIVACY_PAYLOAD.erase || b.payload === PRIVACY_PAYLOAD.export);
      // The answer to our question: a button, or typed on a channel without buttons.
      let payload = input.payload;
      if (payload === undefined && ours && input.text !== undefined) {
        const typed = input.text.trim();
        const byTitle = offered.find((b) => b.title.toLowerCase() === typed.toLowerCase());
        if (byTitle) payload = byTitle.payload;
        else if (YES.test(typed)) payload = ours.payload;
        else if (NO.test(typed)) payload = PRIVACY_PAYLOAD.cancel;
      }
      // Answered in the language the question was asked in, when the conversation has none of its own.
      const asked = locale ?? (ours && [TEXTS.yesErase.de, TEXTS.yesExport.de].includes(ours.title as never) ? 'de' : undefined);
      if (payload === PRIVACY_PAYLOAD.erase) return confirmed(conversation, 'erase', asked);
      if (payload === PRIVACY_PAYLOAD.export) return confirmed(conversation, 'export', asked);
      if (payload === PRIVACY_PAYLOAD.cancel) return { kind: 'reply', replies: [{ text: text('cancelled', asked) }], state: withoutOffer(conversation.state) };

      const kind = asksFor(input, DATA_ERASE_INTENT) ? 'erase' : asksFor(input, DATA_EXPORT_INTENT) ? 'export' : undefined;
      if (!kind) return undefined;
      const lang = locale ?? detectDataRequest(input.text!)?.language ?? input.understood?.language;
      const buttons: Button[] = kind === 'erase'
        ? [{ title: text('yesErase', lang), payload: PRIVACY_PAYLOAD.erase }, { title: text('no', lang), payload: PRIVACY_PAYLOAD.cancel }]
        : [{ title: text('yesExport', lang), payload: PRIVACY_PAYLOAD.export }, { title: text('no', lang), payload: PRIVACY_PAYLOAD.cancel }];
      const question = text(kind === 'erase' ? 'confirmErase' : 'confirmExport', lang);
      return { kind: 'reply', replies: [{ text: question, buttons }], state: { ...conversation.state, offered: buttons } };
    },
  };
}
