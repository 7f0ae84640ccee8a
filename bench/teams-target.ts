/**
 * A bot for `bench/teams.ts` to load, in its own process: `ours` (the GNLC app from createApp, as the server
 * is wired, over a lowdb store) or `echo` (a bare botbuilder CloudAdapter + ActivityHandler echoing each
 * message). Both run anonymously, as with the Emulator. Prints the port it listens on.
 * Usage: teams-target.ts <ours|echo>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { createApp } from '../src/app.ts';
import { fixedClock } from '../src/core/clock.ts';
import { memoryRouting } from '../src/core/endorsement/routing.ts';
import { createLogger } from '../src/log.ts';
import { HttpServer } from '../src/server.ts';
import { serveChild } from './child.ts';
import { NO_LIMITS } from '../test/helpers.ts';

const [kind] = process.argv.slice(2) as [string];
const log = createLogger('silent');
let server: HttpServer;
if (kind === 'ours') {
  const app = await createApp({
    // The abuse limits off: the load comes from one address, many turns per person.
    env: {
      GNLC_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gnlc-bench-teams-')),
      ...NO_LIMITS,
    },
    log,
    clock: fixedClock(new Date('2025-06-01T10:00:00Z')),
    routing: memoryRouting(),
  });
  // As the server does once it listens (main.ts): every language's FAQ index built before the first person asks.
  await app.core.assistant.warm();
  server = app.server;
} else {
  server = new HttpServer(log);
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
      status: (code: number) => {
        status = code;
      },
      header: (name: string, value: unknown) => void res.setHeader(name, String(value)),
      send: (b: unknown) => {
        body = b;
      },
      end: () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
      },
    };
    await adapter.process({ body: JSON.parse(raw), headers: req.headers, method: req.method }, shim, (ctx) =>
      bot.run(ctx),
    );
  });
}
serveChild(await server.listen(0, '127.0.0.1'));
