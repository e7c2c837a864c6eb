export const COMMAND_USAGE: Record<string, string> = {
  run: 'wirewatch run',
  poll: 'wirewatch poll --once [--feed URL]... [--dry-run] [--json]',
  match: 'wirewatch match [--config FILE] [--explain] < stories.jsonl',
  cluster: 'wirewatch cluster [--config FILE] [--explain] < stories.jsonl',
  check: 'wirewatch check [--offline]',
  discord: 'wirewatch discord register [--guild ID]',
  deliveries: 'wirewatch deliveries list|retry|drop [--channel KEY] [--id ID]... [--all] [--json]',
};

export const USAGE = `wirewatch — news alerts for Discord and Slack

Usage:
  ${COMMAND_USAGE['run']}
      The service: polls the configured feeds on POLL_SCHEDULE and posts alerts
      (printed here when no chat token is set). What \`npm start\` runs.
  ${COMMAND_USAGE['poll']}
      One poll cycle. --feed polls these URLs instead of the configured feeds;
      --dry-run records nothing and shows every current item that matches;
      --json prints one JSON object per alert.
  ${COMMAND_USAGE['match']}
      Reads stories as JSON lines on stdin ({"title","description","link","language"})
      and writes one JSON line per input line: the watchlists and terms that matched.
      --explain prints why instead: each clause, term or alias, field and offsets.
  ${COMMAND_USAGE['cluster']}
      Groups stories into events, in the order given: reads JSON lines
      ({"title","description","language","published","link"}) and writes one JSON
      line per input line: {"cluster": id, "new": true|false} ("new" when the story
      opens an event). Stories join events within EVENT_WINDOW. --explain adds the
      score, the shared terms, and the event joined or the nearest one kept apart.
  ${COMMAND_USAGE['check']}
      Validates the configuration, opens the store, tries each feed once, prints a table.
      --offline stops before the fetches: configuration and store only (a self-test).
  ${COMMAND_USAGE['deliveries']}
      The outbox of alerts waiting to be sent: list them (waiting and dead), send
      dead ones again (retry), or delete dead ones (drop).
  ${COMMAND_USAGE['discord']}
      Creates the /wirewatch slash command: in one server (--guild, at once) or
      globally. Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID.

Options for every command: --help, --version.
Settings come from environment variables (see .env.example) and the config file
(config/default.yaml, or the file named by WIREWATCH_CONFIG).
`;
