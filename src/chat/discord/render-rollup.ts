/**
 * A roll-up as a Discord message: one embed titled "23 more stories matched Tariffs" whose
 * description lists the stories, oldest first, one `- [title](link)` line each. Titles are
 * escaped as in alerts (no pings, no masked links of the feed's making, no restyling); the list is
 * cut to the embed limits with "…and N more". Pure.
 */
import type { APIEmbed } from 'discord.js';
import { rollUpHeading, type RollUp, type RollUpStory } from '../../alerts/rollup.js';
import { httpUrl, percentEncode } from '../markup.js';
import { alertColour, alertNonce, EMBED_LIMITS, escapeFeedText, truncateText, type DiscordAlertMessage, type RenderAlertOptions } from './render-alert.js';

/** A story's title in the list is kept short so more of them fit. */
const LIST_TITLE_MAX = 200;

/** The body for POST /channels/{id}/messages; `minimal` leaves the list out (the heading still counts them). */
export function renderRollUpMessage(rollup: RollUp, options: RenderAlertOptions = {}): DiscordAlertMessage {
  const title = truncateText(escapeFeedText(rollUpHeading(rollup)).trim(), EMBED_LIMITS.title);
  const embed: APIEmbed = { title, color: alertColour(rollup.watchlists) };
  if (!options.minimal) {
    const description = storyList(rollup.stories, Math.min(EMBED_LIMITS.description, EMBED_LIMITS.total - title.length));
    if (description) embed.description = description;
  }
  return {
    embeds: [embed],
    allowed_mentions: { parse: [] },
    nonce: alertNonce(rollup.id, rollup.channel),
    enforce_nonce: true,
  };
}

/** `- [title](link)` per story, as many as fit in `max` characters, then "…and N more". */
export function storyList(stories: readonly RollUpStory[], max: number): string {
  const lines = stories.map(storyLine);
  const full = lines.join('\n');
  if (full.length <= max) return full;
  const more = (n: number) => `…and ${n} more`;
  let out = '';
  let shown = 0;
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    if (next.length + 1 + more(lines.length - shown - 1).length > max) break;
    out = next;
    shown++;
  }
  return out ? `${out}\n${more(lines.length - shown)}` : more(lines.length);
}

function storyLine(story: RollUpStory): string {
  const title = truncateText(escapeFeedText(story.title.replace(/\s+/g, ' ')).trim(), LIST_TITLE_MAX) || 'Untitled story';
  const url = httpUrl(story.link);
  // `(` and `)` would end the masked link's URL early.
  return url ? `- [${title}](${percentEncode(url, /[()]/g)})` : `- ${title}`;
}
