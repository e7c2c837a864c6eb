/**
 * A feed to poll: where it lives and how alerts name it. The config file, the command line's
 * --feed and (later) chat commands all produce these; the pipeline polls them.
 */
export interface FeedSource {
  /** Stable id: keys the feed's seen-record and appears in logs as feed_id. */
  id: string;
  url: string;
  /** Shown in alerts; null → the feed's own title. */
  name: string | null;
  /** Overrides the feed's declared language; null → the feed's, else detected. */
  language: string | null;
}
