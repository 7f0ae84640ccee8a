import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMAND } from '../../../src/channels/slack/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const dir = path.join(ROOT, 'src/channels/slack');
const code = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(path.join(dir, f), 'utf8'))
  .join('\n');

/** Bot scopes each Web API method needs (from Slack's method reference); a method missing here fails the test. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'views.publish': [],
  'users.info': ['users:read'],
};
/** The subscription and scope each event listener needs. The message listener handles DMs only. */
const EVENTS: Record<string, { subscription: string; scope?: string }> = {
  message: { subscription: 'message.im', scope: 'im:history' },
  app_mention: { subscription: 'app_mention', scope: 'app_mentions:read' },
  app_home_opened: { subscription: 'app_home_opened' },
};

describe('manifest.json is the whole Slack setup for what the code uses', () => {
  const scopes = new Set<string>(manifest.oauth_config.scopes.bot);

  it('grants the scope of every Web API method the code calls', () => {
    const methods = new Set([...code.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    expect(methods.size).toBeGreaterThan(3);
    for (const method of methods) {
      expect(
        METHOD_SCOPES[method],
        `${method} is called: add its scopes to METHOD_SCOPES and manifest.json`,
      ).toBeDefined();
      for (const scope of METHOD_SCOPES[method]!) expect(scopes.has(scope), `${method} needs ${scope}`).toBe(true);
    }
  });

  it('subscribes to every event the code listens to, with its scope', () => {
    const events = [...code.matchAll(/\.event\('(\w+)'/g)].map((m) => m[1]!);
    expect(events.length).toBeGreaterThan(2);
    for (const event of events) {
      const need = EVENTS[event];
      expect(need, `listener for ${event}: add it to EVENTS and manifest.json`).toBeDefined();
      expect(manifest.settings.event_subscriptions.bot_events).toContain(need!.subscription);
      if (need!.scope) expect(scopes.has(need!.scope), `${event} needs ${need!.scope}`).toBe(true);
    }
  });

  it('declares the slash command, interactivity and the App Home the code serves', () => {
    expect(code).toMatch(/app\.command\(SLASH_COMMAND/);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([SLASH_COMMAND]);
    expect(scopes.has('commands')).toBe(true);
    if (/app\.action\(/.test(code)) expect(manifest.settings.interactivity.is_enabled).toBe(true);
    if (code.includes('views.publish')) expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
  });

  it('asks for no scope the code does not need', () => {
    const needed = new Set([
      ...Object.values(METHOD_SCOPES).flat(),
      ...Object.values(EVENTS).flatMap((e) => (e.scope ? [e.scope] : [])),
      'commands',
    ]);
    expect([...scopes].filter((s) => !needed.has(s))).toEqual([]);
  });
});
