import { describe, expect, it } from 'vitest';
import type { ReplyLine } from '../../../src/commands/types.js';
import { escapePlain, inlineCode, renderContent, renderReply } from '../../../src/chat/discord/interactions-reply.js';

describe('escapePlain: user text can neither ping, format nor forge a link', () => {
  it.each([
    ['plain words', 'tariffs on Mexico', 'tariffs on Mexico'],
    ['@everyone', 'hi @everyone', 'hi @\u200beveryone'],
    ['@here', '@here now', '@\u200bhere now'],
    ['@Everyone in any case', '@EVERYONE', '@\u200bEVERYONE'],
    ['user mention', '<@412345678901234567>', '\\<@412345678901234567\\>'],
    ['nickname mention', '<@!412345678901234567>', '\\<@!412345678901234567\\>'],
    ['role mention', '<@&1123456789012345678>', '\\<@&1123456789012345678\\>'],
    ['channel mention', '<#1198765432109876543>', '\\<\\#1198765432109876543\\>'],
    ['slash command mention', '</wirewatch help:1234567890123456789>', '\\</wirewatch help:1234567890123456789\\>'],
    ['masked link', '[Your bank](https://evil.example/login)', '\\[Your bank\\]\\(https://evil.example/login\\)'],
    ['bold and italics', '**loud** _quiet_ *x*', '\\*\\*loud\\*\\* \\_quiet\\_ \\*x\\*'],
    ['strike, spoiler, code', '~~no~~ ||secret|| `x`', '\\~\\~no\\~\\~ \\|\\|secret\\|\\| \\`x\\`'],
    ['quote and heading', '> quoted\n# Big', '\\> quoted\n\\# Big'],
    ['subtext and list', '-# small\n- item', '\\-\\# small\n\\- item'],
    ['numbered list', '1. first\n  22. second', '1\\. first\n  22\\. second'],
    ['a backslash cannot undo an escape', '\\*bold\\*', '\\\\\\*bold\\\\\\*'],
    ['control and bidi characters removed', 'a\u0007b\u202ec\u001b[2J', 'abc\\[2J'],
  ])('%s', (_name, input, expected) => {
    expect(escapePlain(input)).toBe(expected);
  });
});

describe('inlineCode', () => {
  it.each([
    ['plain', 'tariff* NEAR/5 Mexico', '`tariff* NEAR/5 Mexico`'],
    ['a backtick inside', 'a`b', '``a`b``'],
    ['two backticks inside', 'a``b`c', '```a``b`c```'],
    ['a backtick at the edge', '`x', '`` `x ``'],
    ['newlines folded', 'a\nb', '`a b`'],
    ['empty', '', '` `'],
  ])('%s', (_name, input, expected) => {
    expect(inlineCode(input)).toBe(expected);
  });
});

describe('renderContent: spans', () => {
  it.each<[string, ReplyLine[], string]>([
    ['plain lines joined', ['one', 'two'], 'one\ntwo'],
    ['code span', [['Added ', { code: 'El Mayo' }, ' to ', { bold: 'cartel_leaders' }]], 'Added `El Mayo` to **cartel\\_leaders**'],
    ['hostile text inside code stays literal', [[{ code: '@everyone <@412345678901234567>' }]], '`@everyone <@412345678901234567>`'],
    ['hostile bold is escaped inside', [[{ bold: '** @here [x](https://evil.example)' }]], '**\\*\\* @\u200bhere \\[x\\]\\(https://evil.example\\)**'],
    ['masked link with an escaped label', [[{ link: 'https://example.org/feed', label: 'Feed [1]' }]], '[Feed \\[1\\]](<https://example.org/feed>)'],
    ['parentheses in a link target cannot close it', [[{ link: 'https://example.org/a)b(c', label: 'x' }]], '[x](<https://example.org/a%29b%28c>)'],
    ['a non-http link renders as its label only', [[{ link: 'javascript:alert(1)', label: 'click' }]], 'click'],
    ['empty reply still says something', [], 'Done.'],
  ])('%s', (_name, lines, expected) => {
    expect(renderContent(lines)).toBe(expected);
  });
});

describe('renderContent: the 2000-character limit', () => {
  it('cuts whole lines first and ends with …', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const out = renderContent(lines);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.endsWith('…')).toBe(true);
    const kept = out.slice(0, -1).split('\n');
    // every kept line is whole, except that the cut line may stop at a word
    for (const line of kept.slice(0, -1)) expect(lines).toContain(line);
  });

  it('cuts a long line at a word boundary', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const out = renderContent([words]);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toMatch(/word\d+…$/);
    expect(words.startsWith(out.slice(0, -1))).toBe(true);
  });

  it('never splits a surrogate pair, even in one long word', () => {
    const out = renderContent(['😀'.repeat(1500)]);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.endsWith('…')).toBe(true);
    expect(out.slice(0, -1)).toBe('😀'.repeat((out.length - 1) / 2));
  });

  it('counts escapes, and never cuts one in half', () => {
    const out = renderContent(['*'.repeat(3000)]);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out.slice(0, -1)).toMatch(/^(\\\*)+$/);
  });

  it('keeps a cut code span closed', () => {
    const out = renderContent([['see ', { code: 'a '.repeat(1500) }]]);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toMatch(/^see `(a )*a`…$/);
  });

  it('a reply of exactly 2000 characters is not cut', () => {
    expect(renderContent(['y'.repeat(2000)])).toBe('y'.repeat(2000));
  });
});

describe('renderReply', () => {
  it('is ephemeral and pings nobody', () => {
    expect(renderReply({ outcome: 'ok', lines: ['hello @everyone'] })).toEqual({
      content: 'hello @\u200beveryone',
      flags: 64,
      allowed_mentions: { parse: [] },
    });
  });
});
