/**
 * Does the customer ask for their data to be erased or exported? In English and German, in the usual words:
 * "delete my data", "please erase all my personal data", "forget me", "lösche meine Daten", "Daten löschen bitte",
 * "I want a copy of my data", "what data do you have about me", "Auskunft über meine Daten". Pure and table-tested.
 * Only short messages count (a request is a sentence, not a paragraph that mentions data), and a negation cancels it
 * ("don't delete my data").
 */
import type { BuiltInIntent } from '../core/understanding.ts';
import { words } from '../engine/text.ts';
import type { DataRequestKind } from './data-requests.ts';

export interface DataRequestIntent {
  kind: DataRequestKind;
  /** The language the request was written in, when its words tell. */
  language: 'en' | 'de' | undefined;
}

const DATA_EN = new Set(['data', 'information', 'info', 'details', 'account', 'profile', 'gdpr']);
const DATA_DE = new Set(['daten', 'informationen', 'angaben', 'konto', 'kundenkonto', 'profil', 'datensatz', 'dsgvo']);
const ERASE_EN = new Set(['delete', 'erase', 'remove', 'wipe', 'purge', 'deleted', 'erased', 'removed', 'deletion', 'erasure']);
const ERASE_DE = new Set(['losche', 'loschen', 'loscht', 'loschung', 'entfernen', 'entferne', 'entfernt', 'geloscht']);
const EXPORT_EN = new Set(['export', 'download', 'copy', 'access', 'send', 'have', 'hold', 'store', 'portability']);
const EXPORT_DE = new Set(['exportieren', 'exportiere', 'herunterladen', 'kopie', 'auskunft', 'zusenden', 'schicken', 'schickt', 'senden', 'gespeichert', 'speichert', 'habt', 'haben', 'datenauskunft']);
const PERSONAL = new Set(['my', 'me', 'mine', 'i', 'meine', 'meiner', 'meinen', 'mich', 'mir', 'ich', 'personal', 'personenbezogenen', 'persoenlichen', 'personlichen']);
const NEGATION = new Set(['dont', 'don', 'not', 'never', 'cant', 'cannot', 'wont', 'doesnt', 'didnt', 'nicht', 'kein', 'keine', 'nie']);
const ERASE_PHRASES = ['forget me', 'right to be forgotten', 'vergiss mich', 'vergessen sie mich', 'recht auf vergessenwerden', 'recht auf loschung'];
const EXPORT_PHRASES = ['datenauskunft', 'subject access request'];

export function detectDataRequest(text: string): DataRequestIntent | undefined {
  const tokens = words(text.replace(/['’]/g, ''));
  if (tokens.length === 0 || tokens.length > 14) return undefined;
  if (tokens.some((t) => NEGATION.has(t))) return undefined;
  const joined = ` ${tokens.join(' ')} `;
  const language = tokens.some((t) => DATA_DE.has(t) || ERASE_DE.has(t) || EXPORT_DE.has(t) || t === 'mich' || t === 'meine') ? 'de'
    : tokens.some((t) => DATA_EN.has(t) || ERASE_EN.has(t) || EXPORT_EN.has(t)) ? 'en' : undefined;
  if (ERASE_PHRASES.some((p) => joined.includes(` ${p} `))) return { kind: 'erase', language: ERASE_PHRASES.slice(2).some((p) => joined.includes(` ${p} `)) ? 'de' : 'en' };
  if (EXPORT_PHRASES.some((p) => joined.includes(` ${p} `))) return { kind: 'export', language };
  const data = tokens.some((t) => DATA_EN.has(t) || DATA_DE.has(t));
  const personal = tokens.some((t) => PERSONAL.has(t));
  if (!data || !personal) return undefined;
  if (tokens.some((t) => ERASE_EN.has(t) || ERASE_DE.has(t))) return { kind: 'erase', language };
  // "My account" is about erasing; exporting is about data.
  const exportData = tokens.some((t) => t === 'data' || t === 'daten' || t === 'gdpr' || t === 'dsgvo');
  if (exportData && tokens.some((t) => EXPORT_EN.has(t) || EXPORT_DE.has(t))) return { kind: 'export', language };
  return undefined;
}

/** Asking for one's data to be erased, in the usual words or others, ranked with the flows and articles. */
export const DATA_ERASE_INTENT: BuiltInIntent = {
  name: 'data-erase',
  examples: {
    en: [
      'delete my data', 'please delete all my personal information', 'I want my account deleted', 'remove everything you have about me',
      'erase my details from your system', 'I want you to forget me', 'delete my customer account and all my data', 'get rid of all my personal data',
    ],
    de: [
      'löschen Sie meine Daten', 'bitte alle meine Daten löschen', 'ich möchte, dass mein Konto gelöscht wird', 'entfernen Sie alles, was Sie über mich gespeichert haben',
      'ich bestehe auf meinem Recht auf Löschung', 'vergessen Sie mich bitte', 'mein Kundenkonto und meine Daten löschen', 'löscht alles, was ihr über mich wisst',
    ],
  },
  recognize: (text) => detectDataRequest(text)?.kind === 'erase',
};

/** Asking what data is held, or for a copy of it. */
export const DATA_EXPORT_INTENT: BuiltInIntent = {
  name: 'data-export',
  examples: {
    en: [
      'what data do you have about me', 'send me a copy of my data', 'I want to download my personal data', 'which information do you store about me',
      'I would like a copy of everything you hold on me', 'GDPR data access request',
    ],
    de: [
      'welche Daten habt ihr über mich', 'schicken Sie mir eine Kopie meiner Daten', 'ich möchte Auskunft über meine gespeicherten Daten',
      'was speichert ihr alles über mich', 'ich will meine Daten herunterladen',
    ],
  },
  recognize: (text) => detectDataRequest(text)?.kind === 'export',
};
