/**
 * A bot for `bench/teams.ts` to load, in its own process: `ours` (the GNLC Teams channel over a lowdb
 * store) or `echo` (a bare botbuilder CloudAdapter + ActivityHandler echoing each message). Both run
 * anonymously, as with the Emulator. Prints the port it listens on.
 * Usage: teams-target.ts <ours|echo>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { mountTeams } from '../src/channels/teams/index.ts';
import { fixedClock } from '../src/core/clock.ts';
import { createCore } from '../src/core/create.ts';
import { createLogger } from '../src/log.ts';
import { HttpServer } from '../src/server.ts';
import { createLowdbStore } from '../src/store/lowdb.ts';

const [kind] = process.argv.slice(2) as [string];
const log = createLogger('silent');
const server = new HttpServer(log);
if (kind === 'ours') {
  const store = createLowdbStore(mkdtempSync(path.join(tmpdir(), 'gnlc-bench-teams-')));
  const core = createCore({ clock: fixedClock(new Date('2025-06-01T10:00:00Z')), store });
  mountTeams(server, { assistant: core.assistant, t: core.i18n.t, store, log, env: {} });
} else {
  // The smallest correct botbuilder bot on the same HTTP server: parse the body, hand it to CloudAdapter.process.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(ctx.activity.text ?? '');
    await next();
  });
  server.route('POST /api/messages', async (req, res) => {
    // The process's HTTP server has read the body already (within its limit), as it does for every route.
    const raw = req.rawBody.toString('utf8');
    let status = 200;
    let body: unknown;
    const shim = {
      socket: req.socket,
      status: (code: number) => void (status = code),
      header: (name: string, value: unknown) => void res.setHeader(name, String(value)),
      send: (b: unknown) => void (body = b),
      end: () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      },
    };
    await adapter.process({ body: JSON.parse(raw), headers: req.headers, method: req.method }, shim, (ctx) => bot.run(ctx));
  });
}
process.stdout.write(`${await server.listen(0, '127.0.0.1')}\n`);
process.once('SIGTERM', () => process.exit(0));
