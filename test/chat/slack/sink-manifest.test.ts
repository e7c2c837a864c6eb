/** The app manifest the README tells people to paste: what Slack needs to create the app, and no more permissions than the bot uses. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Manifest = AppsManifestCreateArguments['manifest'];
const manifest = parse(readFileSync(resolve(import.meta.dirname, '../../../slack/manifest.yml'), 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('has only the sections Slack knows, within its limits', () => {
    expect(Object.keys(manifest).sort()).toEqual(['_metadata', 'display_information', 'features', 'oauth_config', 'settings']);
    const info = manifest.display_information;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description?.length ?? 0).toBeLessThanOrEqual(140);
    // Slack refuses a long description shorter than 175 characters
    expect(info.long_description?.length ?? 0).toBeGreaterThanOrEqual(175);
    expect(info.long_description?.length ?? 0).toBeLessThanOrEqual(4000);
    expect(info.background_color).toMatch(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i);
    expect(manifest.features?.bot_user?.display_name).toBe('wirewatch');
  });

  it('declares the one /wirewatch command, escaped, with no URL in Socket Mode', () => {
    const commands = manifest.features?.slash_commands ?? [];
    expect(commands).toHaveLength(1);
    const [command] = commands;
    expect(command).toMatchObject({ command: '/wirewatch', should_escape: true });
    expect(command!.command.length).toBeLessThanOrEqual(32);
    expect(command!.description.length).toBeLessThanOrEqual(2000);
    expect(command!.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    expect(command!.url).toBeUndefined();
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: false } });
  });

  it('asks for chat:write, commands and users:read and nothing else', () => {
    expect(manifest.oauth_config?.scopes?.bot).toEqual(['chat:write', 'commands', 'users:read']);
    expect(manifest.oauth_config?.scopes?.user).toBeUndefined();
  });
});
