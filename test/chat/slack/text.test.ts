/**
 * `/wirewatch …` text → the core's command and options: every subcommand, quotes, Slack's
 * escaping, the Discord-style spellings, and what a mistake gets back.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandText, unescapeSlackText } from '../../../src/chat/slack/index.js';

describe('parseCommandText', () => {
  it.each([
    ['', 'help', {}],
    ['   ', 'help', {}],
    ['help', 'help', {}],
    ['HELP', 'help', {}],
    ['status', 'status', {}],
    ['subscribe tariffs extradition', 'subscribe', { watchlists: 'tariffs extradition' }],
    ['subscribe tariffs, extradition', 'subscribe', { watchlists: 'tariffs, extradition' }],
    ['subscribe tariffs feeds:wire', 'subscribe', { watchlists: 'tariffs', feeds: 'wire' }],
    ['subscribe tariffs followups:off', 'subscribe', { watchlists: 'tariffs', followups: 'off' }],
    ['subscribe feeds:wire,afp tariffs', 'subscribe', { watchlists: 'tariffs', feeds: 'wire,afp' }],
    ['subscribe tariffs feeds: wire', 'subscribe', { watchlists: 'tariffs', feeds: 'wire' }],
    ['subscribe watchlists:tariffs,extradition', 'subscribe', { watchlists: 'tariffs,extradition' }],
    ['unsubscribe', 'unsubscribe', {}],
    ['unsubscribe tariffs extradition', 'unsubscribe', { watchlists: 'tariffs extradition' }],
    ['watch add tariffs "steel quota"', 'watch add', { watchlist: 'tariffs', term: '"steel quota"' }],
    ['watch add tariffs steel', 'watch add', { watchlist: 'tariffs', term: 'steel' }],
    ['watch add tariffs “steel quota”', 'watch add', { watchlist: 'tariffs', term: '“steel quota”' }],
    ['watch add tariffs tariff* NEAR/3 "steel quota"', 'watch add', { watchlist: 'tariffs', term: 'tariff* NEAR/3 "steel quota"' }],
    ['watch add watchlist:tariffs term:steel', 'watch add', { watchlist: 'tariffs', term: 'steel' }],
    ['watch add "my list" steel', 'watch add', { watchlist: 'my list', term: 'steel' }],
    ['watch remove tariffs "steel quota"', 'watch remove', { watchlist: 'tariffs', term: '"steel quota"' }],
    ['watch create mx tariff* NEAR/5 Mexico', 'watch create', { id: 'mx', query: 'tariff* NEAR/5 Mexico' }],
    ['watch create mx  "lopez obrador"  OR  amlo ', 'watch create', { id: 'mx', query: '"lopez obrador"  OR  amlo' }],
    ['Watch List', 'watch list', {}],
    ['watch list tariffs', 'watch list', { watchlist: 'tariffs' }],
    ['watch test "Mexico faces new steel tariffs"', 'watch test', { text: 'Mexico faces new steel tariffs' }],
    ['watch test He said "no" to tariffs', 'watch test', { text: 'He said "no" to tariffs' }],
    ['watch test “A” and “B”', 'watch test', { text: '“A” and “B”' }],
    ['feeds add <https://news.example/rss>', 'feeds add', { url: 'https://news.example/rss' }],
    ['feeds add <https://news.example/rss|news.example/rss> The  News', 'feeds add', { url: 'https://news.example/rss', name: 'The  News' }],
    ['feeds add <https://news.example/rss?a=1&amp;b=2> "Wire & Co"', 'feeds add', { url: 'https://news.example/rss?a=1&b=2', name: 'Wire & Co' }],
    ['feeds add url:https://news.example/rss name:Wire', 'feeds add', { url: 'https://news.example/rss', name: 'Wire' }],
    ['feeds remove wire', 'feeds remove', { feed: 'wire' }],
    ['feeds remove <https://news.example/rss>', 'feeds remove', { feed: 'https://news.example/rss' }],
    ['feeds list', 'feeds list', {}],
    ['watch test &lt;b&gt; &amp;amp; <@U123|alice> in <#C9|news>', 'watch test', { text: '<b> &amp; @alice in #news' }],
  ])('%j → %s %j', (text, command, options) => {
    expect(parseCommandText(text)).toEqual({ ok: true, command, options });
  });

  it.each([
    ['frobnicate', 'Unknown subcommand "frobnicate"; /wirewatch help lists them.', '/wirewatch <subscribe | unsubscribe | watch | feeds | status | help> …'],
    ['constructor', 'Unknown subcommand "constructor"; /wirewatch help lists them.', '/wirewatch <subscribe | unsubscribe | watch | feeds | status | help> …'],
    ['__proto__ list', 'Unknown subcommand "__proto__"; /wirewatch help lists them.', '/wirewatch <subscribe | unsubscribe | watch | feeds | status | help> …'],
    ['subscribe', 'subscribe needs one or more watchlists.', '/wirewatch subscribe <watchlist ids…> [feeds:<feed ids>] [followups:on|off]'],
    ['subscribe tariffs feeds:', 'feeds: needs a value.', '/wirewatch subscribe <watchlist ids…> [feeds:<feed ids>] [followups:on|off]'],
    ['watch add tariffs', 'watch add needs a term.', '/wirewatch watch add <watchlist> <term or query>'],
    ['watch add', 'watch add needs a watchlist.', '/wirewatch watch add <watchlist> <term or query>'],
    ['watch create mx', 'watch create needs a query.', '/wirewatch watch create <id> <query>'],
    ['watch test', 'watch test needs a text.', '/wirewatch watch test <text>'],
    ['watch test ""', 'watch test needs a text.', '/wirewatch watch test <text>'],
    ['watch list a b', 'watch list does not take "b".', '/wirewatch watch list [watchlist]'],
    ['feeds remove', 'feeds remove needs a feed.', '/wirewatch feeds remove <feed id or url>'],
    ['status now', 'status does not take "now".', '/wirewatch status'],
  ])('%j is refused with one line and the usage', (text, message, usage) => {
    const parsed = parseCommandText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reply.outcome).toBe('user_error');
    expect(parsed.reply.code).toBe('command_invalid');
    expect(parsed.reply.lines).toEqual([message, ['Usage: ', { code: usage }]]);
  });

  it('names every subcommand of a group when the subcommand is unknown or missing', () => {
    for (const text of ['watch frob', 'watch']) {
      const parsed = parseCommandText(text);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      const usage = parsed.reply.lines[1] as readonly unknown[];
      expect(usage.filter((span) => typeof span === 'object')).toHaveLength(5);
    }
    const parsed = parseCommandText('feeds frob');
    expect(parsed.ok ? null : parsed.reply.lines[0]).toBe('Unknown subcommand "feeds frob".');
  });
});

describe('unescapeSlackText', () => {
  it.each([
    ['a &amp; b', 'a & b'],
    ['&lt;!channel&gt;', '<!channel>'],
    ['&amp;lt;', '&lt;'],
    ['<https://x.example/a|x.example/a>', 'https://x.example/a'],
    ['<http://x.example>', 'http://x.example'],
    ['<mailto:a@b.example|a@b.example>', 'mailto:a@b.example'],
    ['<@U123|alice>', '@alice'],
    ['<@U123>', '@U123'],
    ['<#C123|news>', '#news'],
    ['<!here>', '@here'],
    ['<!subteam^S1|@editors>', '@editors'],
    ['no markup at all', 'no markup at all'],
  ])('%j → %j', (input, output) => {
    expect(unescapeSlackText(input)).toBe(output);
  });
});
