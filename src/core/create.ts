import { createI18n, type I18n } from '../i18n/index.ts';
import { Assistant } from './assistant.ts';
import { loadCalls } from './calls/schema.ts';
import type { Clock } from './clock.ts';
import { DATA_DIR, loadFaq } from './faq/schema.ts';
import { memoryRouting, type Routing } from './endorsement/routing.ts';
import { Outbox } from './notifier.ts';
import type { AlertService } from './alerts/service.ts';
import type { Store } from './records.ts';

/** Options for building the core. */
export interface CoreOptions {
  clock: Clock;
  /** Folder with faq/, calls.json, sources.json, contact.json (default: the project's data/). */
  dataDir?: string;
  localesDir?: string;
  /** Where records are kept (the composition root picks lowdb, memory, or another implementation of the ports). */
  store: Store;
  /** Commissions and coordinators (default: the local demo, in memory). */
  routing?: Routing;
  /** Where warnings about undelivered messages go. */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
  /** Where failures of the program are reported (a turn the store could not serve). */
  error?: (obj: Record<string, unknown>, msg: string) => void;
}

/** The loaded, validated core shared by every channel. */
export interface Core {
  assistant: Assistant;
  i18n: I18n;
  clock: Clock;
  /** Notifiers of the enabled platforms; channels add theirs as they start. */
  outbox: Outbox;
  routing: Routing;
  /** Deadline alerts: run by the server's scheduler and by `gnlc alerts`. */
  alerts: AlertService;
}

/** Loads the data files and locales (throwing a DataFileError on any problem) and builds the assistant. */
export function createCore(opts: CoreOptions): Core {
  const dataDir = opts.dataDir ?? DATA_DIR;
  const i18n = createI18n(opts.localesDir);
  const faq = loadFaq(dataDir);
  i18n.add('faq', faq.text);
  const calls = loadCalls(dataDir);
  const outbox = new Outbox();
  const routing = opts.routing ?? memoryRouting();
  const assistant = new Assistant({
    faq,
    calls,
    t: i18n.t,
    clock: opts.clock,
    store: opts.store,
    routing,
    outbox,
    warn: opts.warn,
    error: opts.error,
  });
  return { assistant, i18n, clock: opts.clock, outbox, routing, alerts: assistant.alerts };
}
