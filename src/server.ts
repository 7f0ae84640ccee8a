import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log.ts';

/**
 * What the server reads of a request body at most, unless the route says otherwise: both platforms' payloads
 * are far smaller (see the Slack and Teams routes), and a body is held in memory while it is handled.
 */
export const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * A request whose body the server has already read, within the route's limit. `rawBody` is also where Bolt's
 * receiver looks for a body read before it (its BufferedIncomingMessage), so it does not read the stream again.
 */
export interface BufferedRequest extends http.IncomingMessage {
  rawBody: Buffer;
}

/** Handles one HTTP request on a registered path; the body is read already. */
export type Route = (req: BufferedRequest, res: http.ServerResponse) => void | Promise<void>;

/** Options of one route. */
export interface RouteOptions {
  /** The largest body accepted, in bytes (default DEFAULT_MAX_BODY); a larger one is answered 413. */
  maxBody?: number;
}

/** The one HTTP server of the process: health check now, Slack and Teams endpoints as they are enabled. */
export class HttpServer {
  private readonly routes = new Map<string, { handler: Route; maxBody: number }>();
  private readonly prefixes: [string, { handler: Route; maxBody: number }][] = [];
  readonly server: http.Server;

  /** `health` rejects when the service cannot work (the store cannot be written); /healthz then answers 503. */
  constructor(
    private readonly log: Logger,
    health: () => Promise<void> = async () => undefined,
  ) {
    this.route('GET /healthz', async (_req, res) => {
      try {
        await health();
        json(res, 200, { ok: true });
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'health check failed');
        json(res, 503, { ok: false, error: 'store_unavailable' });
      }
    });
    this.server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const route = this.routes.get(`${req.method} ${path}`) ?? this.underPrefix(`${req.method} ${path}`);
      if (!route) {
        req.resume();
        return json(res, 404, { error: 'not_found' });
      }
      void this.handle(route, req, res, path);
    });
  }

  /**
   * Registers `handler` for "METHOD /path", or for every path under a prefix with "METHOD /prefix/*"; its
   * requests' bodies are read first, up to `maxBody` bytes. An exact path wins over a prefix.
   */
  route(key: string, handler: Route, opts: RouteOptions = {}): void {
    const route = { handler, maxBody: opts.maxBody ?? DEFAULT_MAX_BODY };
    if (key.endsWith('/*')) this.prefixes.push([key.slice(0, -1), route]);
    else this.routes.set(key, route);
  }

  private underPrefix(key: string): { handler: Route; maxBody: number } | undefined {
    return this.prefixes.find(([prefix]) => key.startsWith(prefix))?.[1];
  }

  private async handle(
    route: { handler: Route; maxBody: number },
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string | undefined,
  ): Promise<void> {
    let body: Buffer | 'too_large';
    try {
      body = await readBody(req, route.maxBody);
    } catch (err) {
      // The client went away while sending: nobody is left to answer.
      this.log.info({ err: (err as Error).message, path }, 'request body not received');
      res.destroy();
      return;
    }
    if (body === 'too_large') {
      this.log.info(
        { path, limit: route.maxBody, length: req.headers['content-length'] },
        'request body too large; refused',
      );
      return json(res, 413, { error: 'body_too_large', limit: route.maxBody });
    }
    const buffered = req as BufferedRequest;
    buffered.rawBody = body;
    try {
      await route.handler(buffered, res);
    } catch (err) {
      this.log.error({ err, path }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal_error' });
      else res.end();
    }
  }

  /** Starts listening on 127.0.0.1-and-all interfaces at `port` (0 = any free port); resolves to the port. */
  listen(port: number, host?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting connections and resolves once the requests under way are answered. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive connections with no request under way would otherwise hold the server open.
      this.server.closeIdleConnections();
    });
  }
}

/**
 * Reads a request body of at most `limit` bytes. A larger one — announced by Content-Length, or a chunked
 * body that grows past the limit — resolves to 'too_large' at once, without keeping more than `limit` bytes:
 * the caller answers 413 right away, and the rest of the body is read and dropped (so the client, still
 * sending, gets that answer; Node's request timeout ends a body that never ends).
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      return resolve('too_large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      chunks.length = 0;
      req.resume();
      resolve('too_large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
  });
}

/** Writes a JSON response. */
export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
