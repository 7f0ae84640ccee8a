import type { Logger } from '../../log.ts';

/** Calls the Web API; a failure left after the client's retries is logged with Slack's error code, never thrown. */
export async function callWebApi<T>(log: Logger, method: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string }; message: string };
    log.error({ method, code: e.code, error: e.data?.error ?? e.message }, 'Slack Web API call failed');
    return undefined;
  }
}
