/** A follow-up and an edited first alert as Slack messages: what they say, and that feed text stays inert within every limit. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import { FOLLOW_UP_LIMITS, renderEventEditMessage, renderFollowUpMessage } from '../../../src/chat/slack/render-event.js';
import { blockTextLength, renderAlertMessage, SLACK_LIMITS, type SlackAlertBlock } from '../../../src/chat/slack/render-alert.js';
import { alert, HOSTILE_TITLE, hostileAlert, unsafeParts, blockTexts } from './render-fixtures.js';

const DATE = '<!date^1795774500^{date_short_pretty} {time}|2026-11-27 10:15 UTC>';
const because = { score: 0.8123, sharedTerms: ['el mayo', 'brooklyn', 'guilty'] };
const followUp: Alert = { ...alert, event: { id: 'ev1', because } };
const PINGS = /<!(channel|here|everyone|subteam)|<@|<#|<https:\/\/evil/;

/** The parts of a message Slack shows, as one string. */
const wire = (message: { text: string; blocks: unknown[] }) => JSON.stringify(message.blocks) + message.text;

describe('Slack follow-up rendering', () => {
  it('renders the linked title, the summary with matched terms in bold, source · time, and why it joined', () => {
    expect(renderFollowUpMessage(followUp)).toEqual({
      text: 'El Mayo pleads guilty in Brooklyn — InSight Crime',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*<https://example.org/el-mayo|El Mayo pleads guilty in Brooklyn>*', verbatim: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'The *Sinaloa cartel* co-founder appeared in court.', verbatim: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `InSight Crime · ${DATE}`, verbatim: true }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Same event: shares el mayo, brooklyn, guilty (score 0.81)', verbatim: true }] },
      ],
      unfurl_links: false,
      unfurl_media: false,
      parse: 'none',
    });
  });

  it('minimal: title, source and time only; no image ever (compact)', () => {
    const message = renderFollowUpMessage({ ...followUp, story: { ...followUp.story, imageUrl: 'https://example.org/i.jpg' } }, { minimal: true });
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(JSON.stringify(renderFollowUpMessage(followUp))).not.toContain('image');
  });

  it('leaves the "why" line out when the story opened the event or has none', () => {
    expect(renderFollowUpMessage({ ...alert, event: { id: 'ev1', because: null } }).blocks).toHaveLength(3);
    expect(renderFollowUpMessage(alert).blocks).toHaveLength(3);
  });

  it.each([
    ['title', { title: `${HOSTILE_TITLE} <!everyone>` }, {}],
    ['source', { source: '<!channel> Reuters & <@U123> <https://evil.example|x> *b*' }, {}],
    ['summary', {}, { summary: '<!here> <@U123> & <https://evil.example|bank> <!subteam^S1>' }],
    ['shared terms', {}, { event: { id: 'ev1', because: { score: 1, sharedTerms: ['<!channel>', '<@U123>', 'AT&T', '<https://evil.example|x>', '*bold*'] } } }],
  ] as const)('escapes feed text in the %s', (_where, storyOverrides, alertOverrides) => {
    const hostile: Alert = { ...followUp, story: { ...followUp.story, ...storyOverrides }, ...alertOverrides } as Alert;
    const message = renderFollowUpMessage(hostile);
    expect(unsafeParts(message.blocks, message.text)).toEqual([]);
    expect(wire(message)).not.toMatch(PINGS);
    expect(wire(message)).toMatch(/&lt;|&amp;/);
  });

  it('stays compact: title, summary and why cut short, whatever the feed sends', () => {
    const huge: Alert = {
      ...hostileAlert,
      story: { ...hostileAlert.story, source: `${'<!channel> '.repeat(200)}` },
      event: { id: 'ev1', because: { score: 0.5, sharedTerms: Array.from({ length: 20 }, () => '<!here>'.repeat(100)) } },
    };
    const message = renderFollowUpMessage(huge);
    expect(unsafeParts(message.blocks, message.text)).toEqual([]);
    const [title, summary, , why] = blockTexts(message.blocks);
    expect(title!.text.length).toBeLessThanOrEqual(FOLLOW_UP_LIMITS.title + 200); // the link's URL is not cut
    expect(summary!.text.length).toBeLessThanOrEqual(FOLLOW_UP_LIMITS.summary + 10); // bold markers around highlights
    expect(why!.text.length).toBeLessThanOrEqual(FOLLOW_UP_LIMITS.because);
    expect(blockTextLength(message.blocks)).toBeLessThan(2000);
  });
});

describe('Slack edit of an event’s first alert', () => {
  it('is the first alert rendered again plus the outlet count, in the blocks and the text fallback', () => {
    const message = renderEventEditMessage({ first: alert, outlets: ['InSight Crime', 'Reuters', 'El País'] });
    const first = renderAlertMessage(alert);
    expect(message.blocks.slice(0, -1)).toEqual(first.blocks);
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Reported by 3 outlets: InSight Crime, Reuters, El País', verbatim: true }] });
    expect(message.text).toBe('El Mayo pleads guilty in Brooklyn — InSight Crime · Reported by 3 outlets: InSight Crime, Reuters, El País');
    expect(message).toMatchObject({ parse: 'none', unfurl_links: false, unfurl_media: false });
  });

  it('names five outlets and counts the rest', () => {
    const outlets = Array.from({ length: 8 }, (_, i) => `Outlet ${i + 1}`);
    const line = (renderEventEditMessage({ first: alert, outlets }).blocks.at(-1) as Extract<SlackAlertBlock, { type: 'context' }>).elements[0]!.text;
    expect(line).toBe('Reported by 8 outlets: Outlet 1, Outlet 2, Outlet 3, Outlet 4, Outlet 5 and 3 more');
  });

  it.each([
    ['pings in outlet names', ['<!channel>', '<!everyone>', '<@U123>', 'AT&T <https://evil.example|x>']],
    ['ten huge hostile names', Array.from({ length: 10 }, (_, i) => `${i} ${'<!here> & *'.repeat(300)}`)],
  ])('keeps the edit safe and within the limits with %s and a hostile first alert', (_name, outlets) => {
    for (const minimal of [false, true]) {
      const message = renderEventEditMessage({ first: hostileAlert, outlets }, { minimal });
      expect(unsafeParts(message.blocks, message.text)).toEqual([]);
      expect(wire(message)).not.toMatch(PINGS);
      expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
      expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      expect(message.text).toContain(`Reported by ${outlets.length} outlets`);
    }
  });

  it.each([0, 3000, 7000, 9000])('a first alert rendered with %i characters reserved leaves them free of the block-text budget', (reserveText) => {
    const message = renderAlertMessage(hostileAlert, { reserveText });
    expect(blockTextLength(message.blocks) + reserveText).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
    expect(unsafeParts(message.blocks, message.text)).toEqual([]);
  });
});
