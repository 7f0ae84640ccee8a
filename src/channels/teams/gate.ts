/**
 * Who may call `POST /api/messages`, checked before the body is walked:
 * - without an App ID (anonymous, the Emulator's case): only callers on loopback or a network named in
 *   TEAMS_ANONYMOUS, and only with a serviceUrl there too (else the server could be made to call any URL);
 * - with an App ID: a Bearer token botbuilder validates (signature, issuer, audience, the serviceUrl claim),
 *   a serviceUrl on one of the Bot Framework's hosts (or TEAMS_SERVICE_URL_HOSTS), and nothing else.
 * Every refusal is a RequestRefused with a status and a short code the endpoint logs in one warn line.
 */
import type { IncomingMessage } from 'node:http';
import type { Activity } from 'botbuilder';
import type { TeamsAdapter, AuthResult } from './adapter.ts';
import { blockListOf, type TeamsConfig } from './config.ts';

/** A request the endpoint answers with `status` and `{ error: code }` (and Retry-After, in seconds, when set). */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

/** The addresses of this machine (loopback). */
export const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128'];
const LOOPBACK = blockListOf(LOOPBACK_NETWORKS);
/** botbuilder's accepted signing algorithms (AuthenticationConstants.AllowedSigningAlgorithms). */
const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
/** How long a token check may wait for Microsoft's key endpoint before the request is answered 503. */
const KEY_WAIT_MS = 10_000;

/** An address as Node gives it (`::ffff:127.0.0.1` for IPv4 on a dual-stack socket) in its own family. */
function plainAddress(address: string): [string, 'ipv4' | 'ipv6'] {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return [v4, 'ipv4'];
  return [address, address.includes(':') ? 'ipv6' : 'ipv4'];
}

/** The host of a serviceUrl, lower case and without IPv6 brackets; undefined when it is not an http(s) URL. */
function hostOf(url: string): { host: string; https: boolean } | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return { host: u.hostname.toLowerCase().replace(/^\[|\]$/g, ''), https: u.protocol === 'https:' };
  } catch {
    return undefined;
  }
}

const matchesHost = (host: string, pattern: string) =>
  pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern;

export class TeamsGate {
  private readonly anonymousNetworks;
  private readonly local;

  /** `local`: the addresses counted as this machine (tests name others, so that 127.0.0.1 stands for the internet). */
  constructor(
    private readonly config: TeamsConfig,
    private readonly adapter: TeamsAdapter,
    local: string[] = LOOPBACK_NETWORKS,
  ) {
    this.local = blockListOf(local);
    this.anonymousNetworks = typeof config.anonymous === 'object' ? blockListOf(config.anonymous.networks) : undefined;
    quietBotbuilderTokenErrors();
  }

  /** Whether an address may call anonymously, or be named in an anonymous serviceUrl. */
  private allowedAnonymous(address: string): boolean {
    const [ip, type] = plainAddress(address);
    return this.local.check(ip, type) || Boolean(this.anonymousNetworks?.check(ip, type));
  }

  /** The caller and the form of its token, before the body is read as JSON. */
  caller(req: IncomingMessage): void {
    if (!this.config.authEnabled) {
      if (!this.allowedAnonymous(req.socket.remoteAddress ?? ''))
        throw new RequestRefused(403, 'anonymous_not_allowed_from_here');
      return;
    }
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new RequestRefused(401, 'no_token');
    const parts = token.split('.');
    if (parts.length !== 3) throw new RequestRefused(401, 'malformed_token');
    let head: { alg?: unknown; kid?: unknown };
    try {
      head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    } catch {
      throw new RequestRefused(401, 'malformed_token');
    }
    // `none`, HS256 (a key guessed from the public one) and the like never reach the key lookup.
    if (typeof head !== 'object' || head === null || !ALGORITHMS.has(String(head.alg)))
      throw new RequestRefused(401, 'algorithm_not_allowed');
    if (typeof head.kid !== 'string' || !head.kid || head.kid.length > 200) throw new RequestRefused(401, 'no_key_id');
  }

  /**
   * The service the bot would answer through: loopback (or the named networks) anonymously, the Bot Framework's with
   * a token.
   */
  serviceUrl(url: string): void {
    const parsed = hostOf(url);
    if (!parsed) throw new RequestRefused(400, 'missing_service_url');
    if (!this.config.authEnabled) {
      const host = parsed.host === 'localhost' ? '127.0.0.1' : parsed.host;
      if (!this.allowedAnonymous(host)) throw new RequestRefused(403, 'service_url_not_allowed');
      return;
    }
    const allowed = this.config.serviceUrlHosts.some((p) => matchesHost(parsed.host, p));
    // Plain http only for a loopback host named explicitly (a local test connector), never on the internet.
    const local = parsed.host === 'localhost' || LOOPBACK.check(...plainAddress(parsed.host));
    if (!allowed || (!parsed.https && !local)) throw new RequestRefused(403, 'service_url_not_allowed');
  }

  /**
   * botbuilder's validation of the token against the activity (its serviceUrl claim included). Any failure is
   * a 401; Microsoft's key endpoint unreachable, or slower than KEY_WAIT_MS, a 503 to retry later.
   */
  async authenticate(activity: Activity, header: string): Promise<AuthResult> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestRefused(503, 'keys_unreachable', 30)), KEY_WAIT_MS);
    });
    try {
      return await Promise.race([this.adapter.authenticate(activity, header), slow]);
    } catch (err) {
      throw err instanceof RequestRefused ? err : refusalOf(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What a token check's error means for the caller. */
function refusalOf(err: unknown): RequestRefused {
  const e = err as { name?: string; message?: string; statusCode?: number; code?: string };
  const message = e.message ?? '';
  if (e.name === 'FetchError' || /^Failed to load/.test(message) || (e.statusCode ?? 0) >= 500)
    return new RequestRefused(503, 'keys_unreachable', 30);
  if (e.name === 'JsonWebTokenError')
    return new RequestRefused(401, /signature/.test(message) ? 'bad_signature' : 'bad_token');
  if (e.name === 'NotBeforeError') return new RequestRefused(401, 'token_not_yet_valid');
  const codes: [RegExp, string][] = [
    [/expired/i, 'token_expired'],
    [/ServiceUrl claim/i, 'service_url_claim_mismatch'],
    [/Invalid AppId|audience/i, 'wrong_audience'],
    [/Signing Key could not be retrieved/i, 'unknown_key'],
    [/Issuer/i, 'wrong_issuer'],
    [/endorsement/i, 'not_endorsed_for_channel'],
  ];
  return new RequestRefused(401, codes.find(([re]) => re.test(message))?.[1] ?? 'unauthorized');
}

let quieted = false;
/**
 * botframework-connector prints two things with console.error when a token fails: the expiry error (a stack
 * trace) and, for a bad signature, "Error finding key for token. Available keys:" followed by the PEM of
 * Microsoft's key. Both become the endpoint's one warn line with a reason code; everything else passes.
 */
function quietBotbuilderTokenErrors(): void {
  if (quieted) return;
  quieted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const [first] = args;
    if (typeof first === 'string' && first.startsWith('Error finding key for token.')) return;
    if (first instanceof Error && first.name === 'TokenExpiredError') return;
    original(...args);
  };
}
