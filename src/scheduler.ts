import { Cron } from 'croner';
import type { AlertService } from './core/alerts/service.ts';
import type { Logger } from './log.ts';

/** Every hour on the hour: deadline alerts go out at 09:00 on each recipient's clock, so hourly is enough. */
export const DEFAULT_ALERTS_CRON = '0 * * * *';

/** True when `pattern` is a cron pattern croner accepts. */
export function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** The running scheduler: `tick()` runs the alerts now (also used at start-up), `stop()` waits for a run under way. */
export interface AlertScheduler {
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the deadline alerts inside the server on a cron pattern (croner), in UTC. Runs never overlap:
 * a tick that comes while the previous one is still sending is skipped (croner's `protect`), and the
 * alerts' own records make a repeated run harmless anyway. A failing run is logged; the next one retries.
 */
export function startAlertScheduler(alerts: AlertService, log: Logger, pattern = DEFAULT_ALERTS_CRON): AlertScheduler {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      try {
        const lines = await alerts.run();
        const count = (o: string) => lines.filter((l) => l.outcome === o).length;
        if (lines.length)
          log.info({ sent: count('sent'), failed: count('failed'), deferred: count('deferred') }, 'alerts run');
      } catch (err) {
        log.error({ err }, 'alerts run failed; the next tick tries again');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const job = new Cron(pattern, { timezone: 'UTC', protect: true, name: 'gnlc-alerts' }, () => tick());
  return {
    tick,
    async stop() {
      job.stop();
      await running;
    },
  };
}
