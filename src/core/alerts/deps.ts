import type { Store } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { EndorsementDesk } from '../endorsement/desk.ts';
import type { Routing } from '../endorsement/routing.ts';
import type { Outbox } from '../notifier.ts';
import type { AlertText } from './text.ts';

/** What the alerts need from the rest of the core. */
export interface AlertDeps {
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  routing: Routing;
  outbox: Outbox;
  desk: Pick<EndorsementDesk, 'addPosts' | 'forwardedLate'>;
  text: AlertText;
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}
