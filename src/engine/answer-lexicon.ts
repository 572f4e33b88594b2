/**
 * The words customers answer a choice with, grouped by what they mean, in English and German. Deliberately small and
 * general (yes/no, opened/sealed, works/broken, sizes, ways of contact, refund/exchange/repair): these are the
 * answers shops and service desks ask for everywhere, not the wording of one flow. A word is matched by its form,
 * or by its English or German stem ("working" → work), so listing the base forms is usually enough.
 *
 * `opposite` names the concept a negated word means ("not working" → broken, "never opened" → sealed); a negated
 * word without one just counts for nothing.
 */
export interface Concept {
  id: string;
  /** Words and short phrases ("turn on"), lower-case; accents and ß as customers type them are folded when loaded. */
  words: readonly string[];
  opposite?: string;
}

export const CONCEPTS: readonly Concept[] = [
  {
    id: 'open',
    opposite: 'sealed',
    words: ['open', 'opened', 'unpacked', 'unboxed', 'unwrapped', 'used', 'tried', 'tested', 'worn',
      'geöffnet', 'offen', 'aufgemacht', 'ausgepackt', 'angebrochen', 'benutzt', 'gebraucht', 'ausprobiert', 'getragen'],
  },
  {
    id: 'sealed',
    opposite: 'open',
    words: ['sealed', 'unopened', 'unused', 'untouched', 'wrapped', 'shrinkwrapped', 'plastic', 'packaging', 'boxed',
      'originalverpackt', 'verpackt', 'ungeöffnet', 'versiegelt', 'eingeschweißt', 'unbenutzt', 'ovp', 'originalverpackung'],
  },
  {
    id: 'broken',
    opposite: 'works',
    words: ['broken', 'broke', 'defective', 'damaged', 'damage', 'faulty', 'fault', 'cracked', 'crack', 'scratched', 'dented',
      'shattered', 'dead', 'malfunctioning', 'bricked', 'kaputt', 'defekt', 'beschädigt', 'beschädigung', 'schaden',
      'zerbrochen', 'gebrochen', 'gerissen', 'zerkratzt', 'fehlerhaft'],
  },
  {
    id: 'works',
    opposite: 'broken',
    words: ['works', 'work', 'working', 'fine', 'ok', 'okay', 'good', 'intact', 'functional', 'functioning', 'perfect',
      'perfectly', 'flawless', 'turn on', 'turns on', 'switch on', 'switches on', 'power on', 'powers on', 'charge', 'charges',
      'funktioniert', 'funktionieren', 'funktionierts', 'funktionstüchtig', 'intakt', 'geht', 'gehen', 'läuft', 'laufen',
      'einwandfrei', 'gut', 'heil', 'tadellos', 'anschalten', 'einschalten', 'lädt'],
  },
  { id: 'yes', opposite: 'no', words: ['yes', 'yeah', 'yep', 'yup', 'sure', 'correct', 'right', 'absolutely', 'ja', 'jawohl', 'genau', 'richtig', 'klar', 'gerne', 'gern', 'stimmt'] },
  { id: 'no', opposite: 'yes', words: ['no', 'nope', 'nah', 'nein', 'nee', 'ne', 'falsch'] },
  { id: 'small', opposite: 'large', words: ['small', 'smaller', 'smallest', 'klein', 'kleiner', 'kleinste'] },
  { id: 'large', opposite: 'small', words: ['large', 'big', 'bigger', 'biggest', 'larger', 'largest', 'groß', 'größer', 'größte'] },
  { id: 'complete', opposite: 'missing', words: ['complete', 'vollständig', 'komplett'] },
  { id: 'missing', opposite: 'complete', words: ['missing', 'incomplete', 'lacking', 'fehlt', 'fehlen', 'fehlend', 'unvollständig'] },
  { id: 'refund', words: ['refund', 'money', 'reimburse', 'reimbursement', 'erstattung', 'erstatten', 'geld', 'rückerstattung'] },
  { id: 'exchange', words: ['exchange', 'replace', 'replacement', 'swap', 'new one', 'umtausch', 'umtauschen', 'ersatz', 'austausch', 'austauschen'] },
  { id: 'repair', words: ['repair', 'fix', 'fixed', 'mend', 'reparatur', 'reparieren', 'repariert'] },
  { id: 'email', words: ['email', 'e-mail', 'mail', 'e mail', 'mails'] },
  { id: 'phone', words: ['phone', 'call', 'telephone', 'ring', 'telefon', 'anruf', 'anrufen', 'telefonisch', 'handy'] },
  /** Not an answer at all: consumed as a phrase so that "not sure" never reads as "no". */
  { id: 'unsure', words: ['not sure', 'unsure', 'no idea', 'no clue', 'do not know', 'nicht sicher', 'unsicher', 'keine ahnung', 'weiss nicht', 'weiss ich nicht'] },
  { id: 'chat', words: ['chat', 'message', 'text', 'whatsapp', 'nachricht', 'schreiben'] },
];

/** Words that turn the meaning of the next word (or, German style, of the word before: "geht nicht") around. */
export const NEGATIONS: ReadonlySet<string> = new Set(['not', 'never', 'no', 'without', 'nicht', 'nie', 'niemals', 'kein', 'keine', 'keinen', 'keiner', 'ohne', 'nichts']);

/**
 * Function words that say nothing about which option is meant (articles, pronouns, auxiliaries, fillers such as
 * "still", "but", "noch"), in English and German.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  `a an the and or but so if then than as at by for from in into of on to with it its it's this that these those they
  them their there here i im ive me my mine we us our you your he she him her his is are was were be been being am do
  does did done have has had having will would can could should shall may might must just still already yet really very
  quite pretty totally completely bit little kind sort thing things one ones item items product stuff all some any
  actually basically though although well oh hmm wait so please thanks thank sorry hi hello hey ca wo
  der die das den dem des ein eine einen einem einer eines und oder aber als am an auf aus bei bin bis bist da dann dass
  du er es euch ich ihr ihm ihn ihnen im in ist jetzt mal man mein meine meinen meinem meiner mich mir mit nach noch
  nun ob sein seine sie sind so über um uns unser unsere vom von vor war waren wir wird wurde zu zum zur auch bitte denn
  doch etwas hab habe haben hat hatte schon eigentlich ding teil artikel sache danke hallo`.split(/\s+/).filter(Boolean),
);
