/**
 * Socket Mode: the same listener behind Bolt's SocketModeReceiver. The WebSocket itself cannot be
 * faked offline, so nothing here starts the receiver (no socket is opened); commands are driven
 * through `app.processEvent`, exactly as the receiver hands them over, with the real Web API
 * client against the fake Slack API.
 */
import { SocketModeReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackCommandApp, createSlackPlatform, SLACK_MANAGE_PERMISSION, type SlackCommandApp } from '../../../src/chat/slack/index.js';
import { manualClock } from '../../../src/clock.js';
import type { AutocompleteRequest, Choice, CommandHandler, CommandReply, CommandRequest } from '../../../src/commands/types.js';
import { silentLogger } from '../../../src/log.js';
import { startFakeSlackCommands, type FakeSlackCommands } from './fake-slack-commands.js';

class CoreDouble implements CommandHandler {
  readonly requests: CommandRequest[] = [];
  reply: (request: CommandRequest) => Promise<CommandReply> = (request) => Promise.resolve({ outcome: 'ok', lines: [`ran ${request.command}`] });
  execute(request: CommandRequest): Promise<CommandReply> {
    this.requests.push(request);
    return this.reply(request);
  }
  autocomplete(_request: AutocompleteRequest): Promise<Choice[]> {
    return Promise.resolve([]);
  }
}

let fake: FakeSlackCommands;
let core: CoreDouble;

beforeEach(async () => {
  fake = await startFakeSlackCommands();
  core = new CoreDouble();
});
afterEach(async () => {
  await fake.close();
});

async function socketApp(deferAfterMs?: number): Promise<SlackCommandApp> {
  const receiver = new SocketModeReceiver({ appToken: 'xapp-test', installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } } });
  const built = createSlackCommandApp({ botToken: 'xoxb-test', apiUrl: fake.apiUrl, adminUsers: [] }, receiver, {
    commands: core,
    logger: silentLogger(),
    clock: manualClock(0),
    ...(deferAfterMs === undefined ? {} : { deferAfterMs }),
  });
  await built.app.init();
  return built;
}

function slashCommand(text: string, user_id: string, response_url: string) {
  return { command: '/wirewatch', text, user_id, user_name: 'x', channel_id: 'C9', channel_name: 'news', team_id: 'T7', team_domain: 'x', api_app_id: 'A1', response_url, trigger_id: '1.2', token: 't' };
}

describe('Slack slash commands in Socket Mode', () => {
  it('builds a platform with no HTTP route and opens nothing until started', async () => {
    const platform = createSlackPlatform(
      { botToken: 'xoxb-test', appToken: 'xapp-test', signingSecret: null, apiUrl: fake.apiUrl, adminUsers: [] },
      { commands: core, logger: silentLogger(), clock: manualClock(0), sink: { name: 'slack-test', deliver: () => Promise.resolve() } },
    );
    expect(platform.prefix).toBe('slack:');
    expect(platform.routes).toEqual([]);
    expect(platform.connected()).toBe(false);
    await platform.stop();
    expect(fake.calls).toEqual([]);
  });

  it('refuses HTTP mode without a signing secret', () => {
    expect(() =>
      createSlackPlatform(
        { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: fake.apiUrl, adminUsers: [] },
        { commands: core, logger: silentLogger(), clock: manualClock(0), sink: { name: 'slack-test', deliver: () => Promise.resolve() } },
      ),
    ).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('runs the same listener: the reply goes back through ack, the admin check through users.info', async () => {
    fake.users.set('UADMIN', { is_admin: true });
    const { app } = await socketApp();
    const acks: unknown[] = [];
    await app.processEvent({
      body: slashCommand('subscribe tariffs feeds:wire', 'UADMIN', fake.responseUrl('s1')),
      ack: (response?: unknown) => {
        acks.push(response);
        return Promise.resolve();
      },
    });
    expect(acks).toEqual([{ response_type: 'ephemeral', text: 'ran subscribe' }]);
    expect(core.requests).toEqual([
      {
        platform: 'slack',
        tenant: 'slack:T7',
        channel: 'slack:T7:C9',
        actor: { userId: 'UADMIN', canManage: true, managePermission: SLACK_MANAGE_PERMISSION },
        command: 'subscribe',
        options: { watchlists: 'tariffs', feeds: 'wire' },
      },
    ]);
    expect(fake.calls.map((c) => [c.method, c.params['user']])).toEqual([
      ['auth.test', undefined],
      ['users.info', 'UADMIN'],
    ]);
  });

  it('acks empty and replies through response_url when the core is slow', async () => {
    const { app, listener } = await socketApp(20);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    core.reply = async () => {
      await released;
      return { outcome: 'ok', lines: ['<!here> late'] };
    };
    const acks: unknown[] = [];
    await app.processEvent({
      body: slashCommand('feeds list', 'UMEMBER', fake.responseUrl('s2')),
      ack: (response?: unknown) => {
        acks.push(response);
        return Promise.resolve();
      },
    });
    expect(acks).toEqual([undefined]);
    release();
    await listener.idle();
    expect(fake.responses).toEqual([{ id: 's2', body: { response_type: 'ephemeral', text: '&lt;!here&gt; late', replace_original: false } }]);
  });
});
