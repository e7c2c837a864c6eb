/** The fake Discord answers the other routes the service uses, in Discord's shapes, to the real client. */
import { REST, Routes } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord.js';

const APP = '1100000000000000001';
const GUILD = '123456789012345678';
const CHANNEL = '234567890123456789';
let fake: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  fake = await startFakeDiscord({ bucketLimit: 2, bucketWindowMs: 300 });
  rest = new REST({ api: fake.url, offset: 0, retries: 1, timeout: 2000 }).setToken('fake');
});
afterEach(async () => {
  await fake.close();
});

describe('fake Discord', () => {
  it('registers global and guild commands and returns them with ids', async () => {
    const global = (await rest.put(Routes.applicationCommands(APP), { body: [{ name: 'wirewatch', description: 'd' }] })) as { id: string; name: string }[];
    const guild = (await rest.put(Routes.applicationGuildCommands(APP, GUILD), { body: [{ name: 'wirewatch', description: 'd' }] })) as { guild_id: string }[];
    expect(global).toEqual([expect.objectContaining({ name: 'wirewatch', id: expect.stringMatching(/^\d{17,20}$/), application_id: APP })]);
    expect(guild[0]!.guild_id).toBe(GUILD);
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['PUT', `/api/v10/applications/${APP}/commands`],
      ['PUT', `/api/v10/applications/${APP}/guilds/${GUILD}/commands`],
    ]);
  });

  it('takes interaction callbacks (no token), edits of the original response and follow-ups', async () => {
    await rest.post(Routes.interactionCallback('1300000000000000001', 'tok'), { body: { type: 5 }, auth: false });
    const edited = (await rest.patch(Routes.webhookMessage(APP, 'tok', '@original'), { body: { content: 'done' }, auth: false })) as { content: string };
    const followUp = (await rest.post(Routes.webhook(APP, 'tok'), { body: { content: 'more' }, auth: false })) as { content: string };
    expect(edited.content).toBe('done');
    expect(followUp.content).toBe('more');
    expect(fake.requests.map((r) => r.body)).toEqual([{ type: 5 }, { content: 'done' }, { content: 'more' }]);
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('sends rate-limit headers the client honours: more posts than the bucket holds all arrive, none refused', async () => {
    await Promise.all([1, 2, 3, 4, 5].map((i) => rest.post(Routes.channelMessages(CHANNEL), { body: { content: `m${i}`, allowed_mentions: { parse: [] } } })));
    expect(fake.messages(CHANNEL).map((m) => m.content).sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(fake.requests).toHaveLength(5);
  });

  it('refuses an embed over 6000 characters in total, as Discord does', async () => {
    const field = { name: 'n', value: 'v'.repeat(1024) };
    const embed = { title: 't', description: 'd'.repeat(4096), fields: [field, field] };
    await expect(rest.post(Routes.channelMessages(CHANNEL), { body: { embeds: [embed], allowed_mentions: { parse: [] } } })).rejects.toMatchObject({ status: 400, code: 50035 });
    expect(fake.messages(CHANNEL)).toHaveLength(0);
  });
});
