/**
 * German separable verbs: "ich schicke es zurück", "wo gebe ich das Paket ab", "wie richte ich den Hub ein" are the
 * verbs the articles write whole ("zurückschicken", "abgeben", "einrichten"). When a clause ends on a verb particle,
 * the particle is joined to a word before it in the same clause, but only where the documents know the joined word:
 * "an" before a noun ("an eine Abholstation") or a verb the articles never write whole stays as written.
 */
import { normalize, tokenize } from './text.ts';

/** The particles of separable verbs, as `normalize` writes them (no umlauts). */
const PARTICLES = new Set(['ab', 'an', 'auf', 'aus', 'bei', 'dazu', 'ein', 'fest', 'her', 'hin', 'hinzu', 'los', 'mit', 'nach', 'vor', 'weg', 'zu', 'zuruck', 'zusammen']);

/** Where a German clause ends: punctuation, or a conjunction that starts the next one. */
const CLAUSE_END = /[,.;:!?()]+|\s(?:und|oder|aber|weil|dass|wenn|damit|denn|sondern)\s/;

/**
 * The words of a German message with each separated particle joined to its verb where `known` (a joined word, as
 * `tokenize` writes it) says the documents use it; null when there is nothing to join (the caller tokenizes as usual).
 */
export function joinSeparableVerbs(text: string, known: (word: string) => boolean): string[] | null {
  let joined = false;
  const out: string[] = [];
  for (const clause of normalize(text).split(CLAUSE_END)) {
    const words = tokenize(clause);
    const particle = words.at(-1);
    if (words.length >= 3 && particle && PARTICLES.has(particle)) {
      // The verb comes second in a main clause or first in a question: the first word whose joined form is known.
      const verb = words.slice(0, -1).findIndex((word) => !PARTICLES.has(word) && known(particle + word));
      if (verb >= 0) {
        words[verb] = particle + words[verb]!;
        words.pop();
        joined = true;
      }
    }
    out.push(...words);
  }
  return joined ? out : null;
}
