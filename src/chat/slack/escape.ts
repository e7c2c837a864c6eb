/** Escaping for Slack text: the one rule both replies and alerts use. */
import { withoutControls } from '../../safe-text.js';

/**
 * Exactly `&`, `<` and `>`, in that order (Slack's control characters), after control characters
 * are removed: what a person or a feed typed can then never become `<!channel>`, `<@U…>` or a
 * link with a made-up label.
 */
export function escapeSlackText(text: string): string {
  return withoutControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
