import type { Application } from '../records.ts';
import type { Call } from '../calls/schema.ts';
import type { Lang } from '../lang.ts';
import { addressKey, type Endpoint } from '../notifier.ts';
import type { CountryCounts } from './counts.ts';

/** What an alert is about; the text is written from it when it is sent. */
export type Payload =
  | { kind: 'opens' }
  | { kind: 'closes'; drafts: number; submitted: number }
  | { kind: 'commission_deadline'; pending: Map<string, number> }
  | { kind: 'digest'; counts: Map<string, CountryCounts> }
  | { kind: 'escalation'; app: Application; since: Date }
  | { kind: 'room_deadline'; country: string; apps: Application[] }
  | { kind: 'card'; app: Application }
  | { kind: 'forward'; app: Application }
  | { kind: 'draft'; city?: string; resubmit?: string }
  | { kind: 'next_call' };

/** One alert the rules say should exist, sent when `due <= now < until` unless it already was. */
export interface Candidate {
  /** Stable: rule, call, recipient and the date it is about (plus the application for per-application rules). */
  key: string;
  rule: string;
  call: Call;
  to: Endpoint;
  lang: Lang;
  /** The zone the alert is timed and written in: the recipient's own, else the call's. */
  zone: string;
  /** True when `zone` is the recipient's own (a person whose platform told it). */
  zoneKnown: boolean;
  /** The calendar date (in the call's zone) the alert is about: a deadline, an opening, a Monday. */
  date: string;
  /** The deadline the alert counts down to, if any (YYYY-MM-DD in the call's zone). */
  deadline?: string;
  due: Date;
  until: Date;
  payload: Payload;
}

/** The key of an alert: rule, call, recipient, date, and the application for per-application rules. */
export function alertKey(rule: string, call: string, to: Endpoint, date: string, subject?: string): string {
  return [rule, call, addressKey(to), date, ...(subject ? [subject] : [])].join('/');
}
