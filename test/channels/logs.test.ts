import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { Routing, RoutingSchema } from '../../src/core/endorsement/routing.ts';
import { createLogger } from '../../src/log.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { validAnswers } from '../conversation.ts';
import { SlackHarness } from './slack/harness.ts';
import { startTeams, TeamsUser } from './teams/harness.ts';

/** A logger at the most verbose level whose lines are kept in memory. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('trace', sink), lines };
}

describe('logs never carry what people typed or their contact details', () => {
  const wholeApplicationsTraced =
    'a whole application over Slack and one over Teams, at the trace level, with refused and malformed requests';
  it(wholeApplicationsTraced, async () => {
    const { log, lines } = capturedLogger();
    const store = createMemoryStore();
    const routing = new Routing(
      RoutingSchema.parse({
        coordinators: { room: { channel: 'slack', id: 'C0COORD' } },
        commissions: { KE: { room: { channel: 'slack', id: 'C0COMMKE' } } },
      }),
    );
    const slack = await SlackHarness.create({
      clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
      store,
      routing,
      log,
    });
    const { core } = slack;
    await slack.listen();
    const answers = {
      ...validAnswers('en', core.i18n.t),
      'city.name': 'Secretville',
      'motivation.context': 'Our very private motivation text about lifelong learning in Secretville.',
    };
    await slack.apply('USECRET', answers);
    // A request with a bad signature is refused and logged without its body.
    expect(
      (
        await fetch(`${slack.slack.endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'event_callback', event: { text: 'Peter.Otieno@testville.example.org' } }),
        })
      ).status,
    ).toBe(401);

    const teams = await startTeams({ log });
    const user = new TeamsUser(teams, { locale: 'en-GB' });
    await user.say('I want to apply');
    await user.say('Secretville');
    await user.say('Peter.Otieno@testville.example.org +254 20 2221234');
    expect((await teams.post('{"type":"message","text":"Peter.Otieno@testville.example.org"')).status).toBe(400);

    // The refusals are there, with their codes and without the bodies.
    expect(lines.some((l) => l.includes('"code":"malformed_json"'))).toBe(true);
    expect(lines.some((l) => l.includes('"channel":"slack"') && l.includes('verify'))).toBe(true);
    const all = lines.join('');
    for (const secret of [
      'Secretville',
      'Otieno',
      'testville.example.org',
      '2221234',
      'private motivation',
      'Wanjiru',
    ]) {
      expect(all, secret).not.toContain(secret);
    }
    await slack.close();
    await teams.close();
  });
});
