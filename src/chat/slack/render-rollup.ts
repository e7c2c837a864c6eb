/**
 * A roll-up as a Slack message: a section with the heading "*23 more stories matched Tariffs*",
 * then sections holding a bulleted mrkdwn list of `<link|title>`, oldest first, each section at
 * most 3000 characters, the whole within Slack's block count and block-text limits, cut with
 * "…and N more". Titles are escaped as in alerts; `text` is the plain fallback. Pure.
 */
import { rollUpHeading, type RollUp, type RollUpStory } from '../../alerts/rollup.js';
import { escapeSlackText } from './escape.js';
import { escapeMrkdwn, linkUrl, SLACK_LIMITS, truncateText, type RenderAlertOptions, type SlackAlertBlock, type SlackAlertMessage } from './render-alert.js';

const LIST_TITLE_MAX = 200;
const HEADING_MAX = 500;

export function renderRollUpMessage(rollup: RollUp, options: RenderAlertOptions = {}): SlackAlertMessage {
  const heading = truncateText(escapeMrkdwn(rollUpHeading(rollup).replace(/\s+/g, ' ')), HEADING_MAX);
  const blocks: SlackAlertBlock[] = [section(`*${heading}*`)];
  if (!options.minimal) blocks.push(...listBlocks(rollup.stories, SLACK_LIMITS.blocks - 1, SLACK_LIMITS.blockText - heading.length - 2));
  const text = truncateText(escapeSlackText(rollUpHeading(rollup).replace(/\s+/g, ' ')), SLACK_LIMITS.text);
  return { text, blocks, unfurl_links: false, unfurl_media: false, parse: 'none' };
}

/**
 * The list in sections of at most 3000 characters, at most `maxBlocks` blocks and `maxText`
 * characters in all; what does not fit is counted in a last "…and N more".
 */
export function listBlocks(stories: readonly RollUpStory[], maxBlocks: number, maxText: number): SlackAlertBlock[] {
  const lines = stories.map(storyLine);
  // Room kept for the closing "…and N more" block.
  const reserve = `…and ${lines.length} more`.length;
  const blocks: SlackAlertBlock[] = [];
  let current = '';
  let used = 0;
  let shown = 0;
  for (const line of lines) {
    const remainingAfter = lines.length - shown - 1;
    const blocksAfter = blocks.length + (current ? 1 : 0);
    const fitsCurrent = current && current.length + 1 + line.length <= SLACK_LIMITS.sectionText;
    const cost = fitsCurrent ? line.length + 1 : line.length;
    const blocksNeeded = (fitsCurrent ? blocksAfter : blocksAfter + 1) + (remainingAfter > 0 ? 1 : 0);
    const textNeeded = used + cost + (remainingAfter > 0 ? reserve : 0);
    if (blocksNeeded > maxBlocks || textNeeded > maxText) break;
    if (fitsCurrent) current += `\n${line}`;
    else {
      if (current) blocks.push(section(current));
      current = line;
    }
    used += cost;
    shown++;
  }
  if (current) blocks.push(section(current));
  if (shown < lines.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${lines.length - shown} more`, verbatim: true }] });
  return blocks;
}

function storyLine(story: RollUpStory): string {
  const title = truncateText(escapeMrkdwn(story.title.replace(/\s+/g, ' ').trim()), LIST_TITLE_MAX) || 'Untitled story';
  const url = linkUrl(story.link);
  return url ? `• <${url}|${title}>` : `• ${title}`;
}

function section(text: string): SlackAlertBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}
