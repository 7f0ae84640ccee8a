import type { Application } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import type { Lang } from '../lang.ts';
import type { Endpoint } from '../notifier.ts';

/** Someone the bot talks with, as the alerts see them. */
export interface Person {
  to: Endpoint;
  lang: Lang;
  zone?: string;
  /** Their unfinished application form: the country when given, the application when it is a resubmission. */
  draft?: { country?: string; city?: string; resubmit?: string };
  /** The call whose opening they wait for: the first to open after they asked "tell me when the next call opens". */
  waitsFor?: string;
  /** They stopped alerts. */
  off: boolean;
}

/** A group of recipients that read in one language and zone. */
export interface Audience {
  to: Endpoint[];
  lang: Lang;
  zone?: string;
}

/** What the rules are computed from: the calls, who receives what, the applications and the people. */
export interface Situation {
  calls: readonly Call[];
  coordinators: Audience;
  /** The commission's room of a country, if it has one here. */
  commission(country: string): { room: Endpoint; lang: Lang; zone?: string } | undefined;
  /** The applications of a call. */
  applications(call: string): Application[];
  people: Person[];
}
