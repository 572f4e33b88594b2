import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { repliesText } from '../support/studio-api.ts';
import { useStudioApp } from '../support/studio-app.ts';

/**
 * {{opening_hours}} in the studio reads OPENING_HOURS as customers get it: in the preview's flow texts and article
 * answers, in "try a question", and for the rendered article (GET /studio/api/placeholders), in English and German.
 */
const WEEKDAY = '08:00-20:00';
const OPENING_HOURS = JSON.stringify({ timeZone: 'UTC', week: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: '09:00-13:00' } });
const EN = 'Monday to Friday 08:00–20:00, Saturday 09:00–13:00; closed on Sunday and on holidays';
const DE = 'Montag bis Freitag 08:00–20:00 Uhr, Samstag 09:00–13:00 Uhr; geschlossen: Sonntag und Feiertage';

const studio = useStudioApp({ OPENING_HOURS });
const { api } = studio;
const replies = repliesText;

describe('{{opening_hours}} in the studio', () => {
  it('the preview fills it in an article\'s answer and a flow\'s text as customers get them', { timeout: 120_000 }, async () => {
    const question = 'Are you open on Sunday?';
    const previewed = replies((await api('POST', '/studio/api/preview', { conversationId: randomUUID(), text: question })).json);
    expect(previewed).toContain(`open ${EN}`);
    expect(previewed).not.toContain('{{');
    expect(previewed).toBe(replies(await say(studio.url, randomUUID(), 'm1', { text: question })));

    const contact = replies((await api('POST', '/studio/api/preview', { conversationId: randomUUID(), text: 'How can I contact you?' })).json);
    expect(contact).toContain(`Store and phone hours: ${EN}`);
  });

  it('in German for a German conversation', { timeout: 120_000 }, async () => {
    const previewed = replies((await api('POST', '/studio/api/preview', { conversationId: randomUUID(), locale: 'de', text: 'Haben Sie samstags geöffnet?' })).json);
    expect(previewed).toContain(DE);
    expect(previewed).not.toContain('{{');
  });

  it('"try a question" fills it in the answer and the ranked passages', async () => {
    const asked = (await api('POST', '/studio/api/ask', { question: 'When are you open?' })).json;
    expect(asked.answer).toContain(EN);
    expect(JSON.stringify(asked.results)).not.toContain('{{opening_hours}}');
    expect(asked.results.some((r: { passage: string }) => r.passage.includes(EN))).toBe(true);
  });

  it('the rendered article reads it from GET /studio/api/placeholders, in both languages', async () => {
    expect(await api('GET', '/studio/api/placeholders')).toEqual({ status: 200, json: { opening_hours: { en: EN, de: DE } } });
    expect((await fetch(`${studio.url}/studio/api/placeholders`)).status).toBe(401);
  });
});
