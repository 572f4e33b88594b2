/**
 * Signs that the customer is losing patience: explicit anger (English and German), and asking the same question
 * again. Pure; src/handoff/turn-signals.ts keeps the recent history these are compared with.
 */
import { words } from '../engine/text.ts';

/** Strong words: one of them is enough to hand over. */
const FURIOUS = new Set([
  'fuck', 'fucking', 'fucked', 'shit', 'bullshit', 'crap', 'wtf', 'damn', 'damned', 'bloody', 'idiot', 'idiotic', 'moron',
  'scheisse', 'scheiss', 'scheiße', 'scheiß', 'verdammt', 'verdammte', 'mist', 'bloed', 'blod', 'idiotisch', 'beschissen', 'kacke', 'dreck',
]);

/** Weaker words and phrases: frustration that counts once. */
const ANNOYED = [
  'useless', 'ridiculous', 'terrible', 'awful', 'horrible', 'pathetic', 'stupid', 'annoying', 'angry', 'furious', 'unacceptable',
  'worst', 'joke', 'fed up', 'sick of', 'waste of time', 'not helpful', 'doesnt help', 'not working', 'you dont understand',
  'nutzlos', 'sinnlos', 'laecherlich', 'lacherlich', 'unverschaemt', 'unverschamt', 'frechheit', 'katastrophe', 'unmoeglich', 'unmoglich',
  'sauer', 'wuetend', 'wutend', 'aergerlich', 'argerlich', 'zeitverschwendung', 'hilft nicht', 'verstehst nicht', 'verstehen nicht',
].map((phrase) => phrase.split(' '));

/** 0 calm, 1 annoyed, 2 furious. Shouting (mostly capitals) or "!!!" adds one to a message that is already annoyed. */
export function angerLevel(text: string): 0 | 1 | 2 {
  const tokens = words(text.replace(/['’]/g, ''));
  if (tokens.some((token) => FURIOUS.has(token))) return 2;
  const annoyed = ANNOYED.some((phrase) => tokens.some((_, i) => phrase.every((word, k) => tokens[i + k] === word)));
  if (!annoyed) return 0;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const shouting = letters.length >= 8 && letters.replace(/[^\p{Lu}]/gu, '').length / letters.length > 0.7;
  return shouting || /!{2,}|\?!|!\?/.test(text) ? 2 : 1;
}

/** The text a question is compared on: folded words, so "Where is my order?" and "where is my order" are one. */
export function questionKey(text: string): string {
  return words(text).join(' ');
}

/**
 * Is this the same question as one asked before? Only questions of three words or more count (a "yes" or an order
 * number typed twice is not frustration), compared on their words: nearly all the words of the shorter one are in
 * the other ("do you ship to Canada" and "do you ship to canada?? hello??").
 */
export function isRepeatedQuestion(text: string, previous: readonly string[]): boolean {
  const key = questionKey(text);
  const mine = new Set(key.split(' '));
  if (mine.size < 3) return false;
  return previous.some((other) => {
    if (other === key) return true;
    const theirs = new Set(other.split(' '));
    if (theirs.size < 3) return false;
    const shared = [...mine].filter((word) => theirs.has(word)).length;
    return shared / Math.min(mine.size, theirs.size) >= 0.85;
  });
}
