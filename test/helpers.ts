import { fixedClock } from '../src/core/clock.ts';
import { createCore, type Core } from '../src/core/create.ts';

let shared: Core | undefined;

/** The core over the project's real data and locales, with the clock frozen at `at`. */
export function coreAt(at: string): Core {
  return createCore({ clock: fixedClock(new Date(at)) });
}

/** A core built once per test file (the data and locales are read-only), clock frozen on 10 June 2025. */
export function sharedCore(): Core {
  shared ??= coreAt('2025-06-10T12:00:00Z');
  return shared;
}
