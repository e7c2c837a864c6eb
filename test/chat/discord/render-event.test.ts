import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import type { EventEdit } from '../../../src/alerts/event-thread.js';
import { alertColour, alertNonce, renderAlertMessage } from '../../../src/chat/discord/render-alert.js';
import { FOLLOW_UP_SUMMARY_MAX, renderFirstAlertEdit, renderFollowUpMessage, renderThreadStart, THREAD_NAME_MAX } from '../../../src/chat/discord/render-event.js';
import { alert, CHANNEL_KEY, hostileAlert, story, unsafeParts, type EmbedLike } from './render-fixtures.js';

const ZW = '\u200b';
const ATTACK = '@everyone <@123456789012345678> [x](https://evil.example) **b**';

const followUp: Alert = {
  ...alert,
  story: { ...story, id: 'fu0001fu0001fu0001fu', source: 'Reuters', title: 'Zambada pleads guilty in New York', link: 'https://example.org/reuters-zambada' },
  event: { id: 'ev-1', because: { score: 0.8123, sharedTerms: ['zambada', 'brooklyn', 'guilty'] } },
  thread: { firstRef: '1300000000000000001', threadRef: null },
};

const hostileFollowUp: Alert = {
  ...hostileAlert,
  event: { id: 'ev-2', because: { score: 0.5, sharedTerms: ['@everyone', '<@123456789012345678>', '[x](https://evil.example)', '**b**', '@here'] } },
  thread: { firstRef: '1300000000000000001', threadRef: null },
};

function editOf(first: Alert, outlets: string[]): EventEdit {
  return { kind: 'event-edit', id: 'edit:ev-1', channel: first.channel, eventId: 'ev-1', firstRef: '1300000000000000001', first, outlets };
}

describe('Discord follow-up rendering', () => {
  it('is one compact embed: linked title, summary with matched terms in bold, why it joined, source and time; no ping, the alert’s nonce', () => {
    expect(renderFollowUpMessage(followUp)).toEqual({
      embeds: [
        {
          title: 'Zambada pleads guilty in New York',
          url: 'https://example.org/reuters-zambada',
          color: alertColour(followUp.watchlists),
          description: 'The **Sinaloa cartel** co-founder appeared in court.\n\nSame event: shares zambada, brooklyn, guilty \\(score 0.81\\)',
          footer: { text: 'Reuters · 2026-11-27 10:15 UTC' },
          timestamp: '2026-11-27T10:15:00.000Z',
        },
      ],
      allowed_mentions: { parse: [] },
      nonce: alertNonce(followUp.story.id, CHANNEL_KEY),
      enforce_nonce: true,
    });
  });

  it.each<[string, Partial<Alert>, (description: string | undefined) => void]>([
    ['a short summary whole', {}, (d) => expect(d).toMatch(/^The \*\*Sinaloa cartel\*\* co-founder appeared in court\.\n\nSame event: /)],
    ['a long summary cut short with “…”', { summary: 'word '.repeat(400), summaryHighlights: [] }, (d) => expect(d!.split('\n\n')[0]!.length).toBeLessThanOrEqual(FOLLOW_UP_SUMMARY_MAX)],
    ['no summary: only why it joined', { summary: '', summaryHighlights: [] }, (d) => expect(d).toMatch(/^Same event: /)],
    ['no reason (the event’s opener, say): only the summary', { event: { id: 'ev-1', because: null } }, (d) => expect(d).not.toContain('Same event')],
    ['no summary, no reason: no description', { summary: '', summaryHighlights: [], event: { id: 'ev-1', because: null } }, (d) => expect(d).toBeUndefined()],
    ['at most 8 shared terms named', { event: { id: 'ev-1', because: { score: 1, sharedTerms: Array.from({ length: 12 }, (_, i) => `t${i}`) } } }, (d) => expect(d).toMatch(/shares t0, t1, t2, t3, t4, t5, t6, t7 \\\(score 1\.00\\\)$/)],
  ])('%s', (_name, change, check) => {
    const [embed] = renderFollowUpMessage({ ...followUp, ...change }).embeds;
    check(embed.description);
    expect(unsafeParts(embed as EmbedLike)).toEqual([]);
  });

  it('renders a hostile story and hostile shared terms safely: nothing pings, links or splits a character, every limit kept', () => {
    const message = renderFollowUpMessage(hostileFollowUp);
    const [embed] = message.embeds;
    expect(unsafeParts(embed as EmbedLike)).toEqual([]);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(embed.url).toBeUndefined();
    expect(embed.thumbnail).toBeUndefined();
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    const [summary, because] = embed.description!.split(/\n\n(?=Same event)/);
    expect(summary!.length).toBeLessThanOrEqual(FOLLOW_UP_SUMMARY_MAX);
    expect(because).toBe(`Same event: shares @${ZW}everyone, <${ZW}@123456789012345678>, \\[x\\]\\(https://evil.example\\), \\*\\*b\\*\\*, @${ZW}here \\(score 0.50\\)`);
  });

  it('minimal (when Discord refused the full one): title, link, source and time, same nonce', () => {
    const message = renderFollowUpMessage(followUp, { minimal: true });
    expect(message.embeds[0].description).toBeUndefined();
    expect(message.embeds[0].title).toBe('Zambada pleads guilty in New York');
    expect(message.nonce).toBe(renderFollowUpMessage(followUp).nonce);
  });
});

describe('Discord thread name', () => {
  it.each([
    ['an ordinary title', 'Zambada pleads guilty in New York', 'Also reported: Zambada pleads guilty in New York'],
    ['mentions broken (names render no Markdown: nothing escaped with backslashes)', `${ATTACK} *x*`, `Also reported: @${ZW}everyone <${ZW}@123456789012345678> [x](https://evil.example) **b** *x*`],
    ['line breaks, controls and bidi overrides gone', 'one\ntwo\u001b[2J\u202ethree', 'Also reported: one two[2Jthree'],
    ['an empty title', '  ', 'Also reported'],
    ['a long title cut on a word with “…”', 'word '.repeat(40), `Also reported: ${'word '.repeat(17).trim()}…`],
    ['a long title without spaces, never half a character', '😀'.repeat(80), `Also reported: ${'😀'.repeat(42)}…`],
  ])('%s', (_name, title, name) => {
    const body = renderThreadStart({ ...followUp, story: { ...followUp.story, title } });
    expect(body).toEqual({ name, auto_archive_duration: 1440 });
    expect(body.name.length).toBeLessThanOrEqual(THREAD_NAME_MAX);
  });
});

describe('Discord edit of an event’s first alert', () => {
  it('is the first alert again with a Coverage field naming the outlets; no nonce, no ping', () => {
    const body = renderFirstAlertEdit(editOf(alert, ['InSight Crime', 'Reuters', 'AP']));
    const original = renderAlertMessage(alert).embeds[0];
    expect(body).toEqual({
      embeds: [{ ...original, fields: [...original.fields!, { name: 'Coverage', value: 'Reported by 3 outlets: InSight Crime, Reuters, AP' }] }],
      allowed_mentions: { parse: [] },
    });
  });

  it.each([
    [['InSight Crime', 'Reuters'], 'Reported by 2 outlets: InSight Crime, Reuters'],
    [['A', 'B', 'C', 'D', 'E', 'F', 'G'], 'Reported by 7 outlets: A, B, C, D, E and 2 more'],
    [['A', ATTACK], `Reported by 2 outlets: A, @${ZW}everyone <${ZW}@123456789012345678> \\[x\\]\\(https://evil.example\\) \\*\\*b\\*\\*`],
  ])('outlets %j → %j', (outlets, line) => {
    const [embed] = renderFirstAlertEdit(editOf(alert, outlets)).embeds;
    expect(embed.fields?.at(-1)).toEqual({ name: 'Coverage', value: line });
    expect(unsafeParts(embed as EmbedLike)).toEqual([]);
  });

  it('a hostile first alert with long outlet names stays within every limit (the summary makes room)', () => {
    const outlets = Array.from({ length: 9 }, (_, i) => `${ATTACK} ${'outlet '.repeat(60)}${i}`);
    const [embed] = renderFirstAlertEdit(editOf(hostileAlert, outlets)).embeds;
    expect(unsafeParts(embed as EmbedLike)).toEqual([]);
    expect(embed.fields?.at(-1)?.name).toBe('Coverage');
    expect(embed.fields!.at(-1)!.value.length).toBeLessThanOrEqual(1024);
  });

  it('minimal keeps the outlets (the point of the edit) and drops the rest', () => {
    const [embed] = renderFirstAlertEdit(editOf(alert, ['InSight Crime', 'Reuters']), { minimal: true }).embeds;
    expect(embed.fields).toEqual([{ name: 'Coverage', value: 'Reported by 2 outlets: InSight Crime, Reuters' }]);
    expect(embed.description).toBeUndefined();
  });
});
