import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/chat/discord/index.js';
import { startFakeDiscord, type FakeDiscord } from './fake-discord-interactions.js';
import { APP_ID, GUILD_ID } from './fixtures.js';

let fake: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.api, offset: 0, retries: 1, timeout: 2000 }).setToken('bot-token');
});
afterEach(() => fake.close());

describe('registerCommands', () => {
  it.each([
    ['in one guild', GUILD_ID, `/api/v10/applications/${APP_ID}/guilds/${GUILD_ID}/commands`],
    ['globally', undefined, `/api/v10/applications/${APP_ID}/commands`],
  ])('%s: PUTs the one /wirewatch command', async (_name, guildId, path) => {
    await registerCommands({ rest, applicationId: APP_ID, ...(guildId ? { guildId } : {}) });
    expect(fake.received.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${path}`]);
    const [put] = fake.received;
    expect(put!.headers.authorization).toBe('Bot bot-token');
    const body = put!.body as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ name: 'wirewatch', type: 1, contexts: [0], default_member_permissions: '16' });
    const options = body[0]!.options as { name: string; type: number }[];
    expect(options.map((o) => `${o.name}:${o.type}`)).toEqual(['subscribe:1', 'unsubscribe:1', 'status:1', 'help:1', 'watch:2', 'feeds:2']);
  });
});
