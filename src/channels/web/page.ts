/**
 * The chat page: `GET /chat` (an HTML shell with its texts from locales/, in six languages), `/chat/app.js` (the
 * page's script: the visitor's secret in the browser, a session, Web Chat on this server's Direct Line) and
 * `/chat/webchat.js` (Microsoft's Web Chat, served from the installed package). A Content-Security-Policy lets the
 * page run only this server's scripts, and be framed only by the origins of GNLC_WEB_ORIGINS.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LANGS } from '../../core/lang.ts';
import type { Translate } from '../../i18n/index.ts';
import type { HttpServer } from '../../server.ts';
import { ConfigError } from '../../config.ts';
import { sourceFile } from '../../paths.ts';

const PAGE_KEYS = ['title', 'start_over', 'start_over_confirm', 'start_over_confirm_endorser', 'offline'] as const;

/** Web Chat's browser bundle, found through the package's own entry (its exports name no other file). */
function webChatBundle(): string {
  const entry = createRequire(import.meta.url).resolve('botframework-webchat');
  return path.join(path.dirname(entry), '..', 'dist', 'webchat.js');
}

/** The origins allowed to frame the page (GNLC_WEB_ORIGINS, comma-separated); throws on one that is not an origin. */
export function frameOrigins(env: NodeJS.ProcessEnv): string[] {
  const list = (env.GNLC_WEB_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of list) {
    let ok = false;
    try {
      ok = new URL(o).origin === o;
    } catch {}
    if (!ok) throw new ConfigError(`GNLC_WEB_ORIGINS: "${o}" is not an origin such as https://www.example.org`);
  }
  return list;
}

function escapeJson(v: unknown): string {
  // Inside <script type="application/json">: no "</script>" or "<!--" may appear.
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

export function mountPage(server: HttpServer, deps: { t: Translate; env: NodeJS.ProcessEnv }): void {
  const origins = frameOrigins(deps.env);
  const strings = Object.fromEntries(
    LANGS.map((lang) => [lang, Object.fromEntries(PAGE_KEYS.map((k) => [k, deps.t(lang, `web:${k}`)]))]),
  );
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // Web Chat styles its components at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${["'self'", ...origins].join(' ')}`,
  ].join('; ');
  const html = (lang: string) =>
    '<!doctype html>\n' +
    `<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${strings[lang]!.title}</title>` +
    '<style>html,body{height:100%;margin:0;font-family:system-ui,sans-serif}body{display:flex;flex-direction:column}' +
    'header{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;background:#0b5cad;' +
    'color:#fff}header h1{font-size:1rem;margin:0}header a{color:#fff}#webchat{flex:1;min-height:0}</style>' +
    `</head><body><header><h1 id="title">${strings[lang]!.title}</h1><a id="start-over" href="#">` +
    `${strings[lang]!.start_over}</a></header><main id="webchat" aria-live="polite"></main>` +
    `<script type="application/json" id="gnlc-strings">${escapeJson(strings)}</script>` +
    '<script src="/chat/webchat.js"></script><script src="/chat/app.js"></script></body></html>';
  const pages = new Map(LANGS.map((l) => [l, html(l)]));
  const headers = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const file = (res: http.ServerResponse, body: Buffer | string, type: string, cache: string) => {
    res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': cache });
    res.end(body);
  };
  server.route('GET /chat', async (req, res) => {
    const asked = (req.headers['accept-language'] ?? '').slice(0, 2).toLowerCase();
    const lang = (LANGS as readonly string[]).includes(asked) ? asked : 'en';
    file(res, pages.get(lang as (typeof LANGS)[number])!, 'text/html; charset=utf-8', 'no-cache');
  });
  const app = readFileSync(sourceFile('channels', 'web', 'app.js'));
  server.route('GET /chat/app.js', async (_req, res) => file(res, app, 'text/javascript', 'no-cache'));
  // Browsers ask for an icon at the site's root: no icon, and no 404 in the page's console.
  server.route('GET /favicon.ico', async (_req, res) => {
    res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
  });
  let bundle: Buffer | undefined;
  server.route('GET /chat/webchat.js', async (_req, res) => {
    // Read on first use (3.9 MB): a server whose page nobody opens never holds it.
    bundle ??= readFileSync(webChatBundle());
    file(res, bundle, 'text/javascript', 'public, max-age=86400');
  });
}
