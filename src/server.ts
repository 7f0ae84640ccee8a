import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log.ts';

/** Handles one HTTP request on a registered path. */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** The one HTTP server of the process: health check now, Slack and Teams endpoints as they are enabled. */
export class HttpServer {
  private readonly routes = new Map<string, Route>();
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
      const route = this.routes.get(`${req.method} ${path}`);
      if (!route) return json(res, 404, { error: 'not_found' });
      Promise.resolve(route(req, res)).catch((err: unknown) => {
        this.log.error({ err, path }, 'request failed');
        if (!res.headersSent) json(res, 500, { error: 'internal_error' });
        else res.end();
      });
    });
  }

  /** Registers `handler` for "METHOD /path". */
  route(key: string, handler: Route): void {
    this.routes.set(key, handler);
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

/** Writes a JSON response. */
export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
