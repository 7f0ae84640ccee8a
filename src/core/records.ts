/**
 * The records the core keeps (conversations, applications, addresses, audit lines, alert records): their
 * schemas, by which every store validates a record before writing it and after reading it, and the ports
 * (repositories) a store implements. The store depends on this file; the core never on a store.
 */
import { z } from 'zod';
import { LANGS } from './lang.ts';
import { AnswersSchema, CompleteAnswersSchema } from './application/form.ts';
import type { OutboxRepo } from './outbox-record.ts';
import { PLATFORMS } from './turn.ts';

/**
 * The version of each kind of stored record. A record of an older version is migrated on read (the steps are
 * in `store/records.ts`) and written at this version at its next write; one of a newer version is refused.
 * Raise a kind's version, and add its step, whenever its schema changes in a way an older record would fail.
 */
export const CONVERSATION_VERSION = 1;
/** 2: a resubmission's change holds `before` and `after` (null: empty); 3: the answer `pledge.date`. */
export const APPLICATION_VERSION = 3;
export const ADDRESS_VERSION = 1;
export const ALERT_VERSION = 1;

const Lang = z.enum(LANGS);
/** One answer of the form as stored: what the form's fields hold (text, number, yes/no, a list of choices). */
const AnswerValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type Answer = z.infer<typeof AnswerValue>;

/** Where a user is in the application form. */
export const IntakeSchema = z.object({
  mode: z.enum(['filling', 'review', 'confirm_cancel', 'confirm_submit']),
  /** The field being asked while filling. */
  field: z.string().optional(),
  answers: AnswersSchema,
  skipped: z.array(z.string()).default([]),
  /** Fields in the order they were answered, for `back`. */
  history: z.array(z.string()).default([]),
  /** After an edit from the review, go back to the review instead of the next empty field. */
  returnToReview: z.boolean().default(false),
  pick: z.array(z.string()).optional(), // a selection of several choices being built with buttons
  /** The mode to go back to when a cancel is not confirmed. */
  previousMode: z.enum(['filling', 'review']).optional(),
  /** The draft reopens an application the commission returned: submitting updates it instead of adding one. */
  resubmit: z.object({ id: z.string(), revision: z.number().int().min(1) }).optional(),
  timeZone: z.string().optional(), // the applicant's zone as last known: the pledge's date is offered as today there
  startedAt: z.string(),
});
export type Intake = z.infer<typeof IntakeSchema>;

/** Everything the bot remembers about one user (one file per user in the embedded store). */
export const ConversationSchema = z.object({
  version: z.literal(CONVERSATION_VERSION),
  key: z.string(),
  lang: z.object({ chosen: Lang.optional(), last: Lang.optional() }).default({}),
  intake: IntakeSchema.optional(),
  /** Ids of the applications this user submitted. */
  applications: z.array(z.string()).default([]),
  askedToStart: z.string().optional(), // when the bot asked "start now?" (`draft:<time>`, a draft): a yes answers it
  /** An endorser who pressed return or decline: the next text they type is the reason. */
  pending: z
    .object({
      action: z.enum(['return', 'decline']),
      application: z.string(),
      revision: z.number().int().min(1),
      at: z.string(),
    })
    .optional(),
  /** The user's IANA time zone as the platform last told it (alerts are timed and written in it). */
  timeZone: z.string().optional(),
  /** Alert preferences: `nextCall` is when they asked to be told of the next call's opening; `off` stops all alerts. */
  alerts: z.object({ nextCall: z.string().optional(), off: z.boolean().optional() }).optional(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * Lifecycle of a submitted application: `submitted → endorsed | returned | declined` by the National Commission,
 * `returned → submitted` when the applicant resubmits, `endorsed → forwarded` once the coordination team has it.
 */
export const ApplicationStatus = z.enum(['submitted', 'endorsed', 'returned', 'declined', 'forwarded']);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

/** Someone who acted on an application, platform-qualified (`slack:U123`) with the name the platform gave. */
export const ActorSchema = z.object({ key: z.string(), name: z.string().optional() });
export type Actor = z.infer<typeof ActorSchema>;

/** A message a Notifier posted (its address key and the platform's message id), so it can be updated in place. */
export const PostedSchema = z.object({ key: z.string(), id: z.string() });
export type Posted = z.infer<typeof PostedSchema>;

/** A submitted application. */
export const ApplicationSchema = z.object({
  version: z.literal(APPLICATION_VERSION),
  /** Readable id: GNLC-<cycle>-<country>-<nnn>. */
  id: z.string().regex(/^GNLC-\d{4}-[A-Z]{2}-\d{3,}$/),
  cycle: z.string(),
  country: z.string().length(2),
  /** City name folded for duplicate detection. */
  cityKey: z.string(),
  status: ApplicationStatus,
  applicant: z.object({
    key: z.string(),
    platform: z.enum(PLATFORMS),
    userId: z.string(),
    room: z.string(),
  }),
  lang: Lang,
  answers: CompleteAnswersSchema,
  /** The pledge's date (the answer `pledge.date`) and the applicant's confirmation that the mayor endorses it. */
  pledgeDate: z.string(),
  mayorEndorsementConfirmed: z.literal(true),
  submittedAt: z.string(),
  /** 1 for the first submission, +1 for each resubmission after a return; stale buttons carry an older one. */
  revision: z.number().int().min(1).default(1),
  /** The commission's decision on the current revision (absent while it waits). */
  decision: z
    .object({
      status: z.enum(['endorsed', 'returned', 'declined']),
      by: ActorSchema,
      at: z.string(),
      reason: z.string().optional(),
    })
    .optional(),
  /** What the last resubmission changed, shown to the commission: `null` where the answer was or became empty. */
  changes: z
    .array(z.object({ field: z.string(), before: AnswerValue.nullable(), after: AnswerValue.nullable() }))
    .default([]),
  /** Where the current card is posted (commission room, coordinators), to update it in place. */
  posts: z.array(PostedSchema).default([]),
  history: z.array(
    z.object({
      at: z.string(),
      status: z.string(),
      by: z.string(),
      name: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});
export type Application = z.infer<typeof ApplicationSchema>;
/** An application as written by `add` (defaults still to fill). */
export type ApplicationInput = z.input<typeof ApplicationSchema>;

/** Per-user conversation state. */
export interface ConversationRepo {
  get(key: string): Promise<Conversation | undefined>;
  /** Resolves once the record is durably written. */
  save(conversation: Conversation): Promise<void>;
  /** Removes a user's conversation (their own request to delete their data); resolves once it is gone. */
  delete(key: string): Promise<void>;
  /** Calls `visit` with every stored conversation, one at a time (the alerts' scan for drafts and subscribers). */
  scan(visit: (conversation: Conversation) => void): Promise<void>;
}

/** Submitted applications, sharded by call and country (the unit of quota and endorsement). */
export interface ApplicationRepo {
  listByCountry(cycle: string, country: string): Promise<Application[]>;
  /** Every application of a call, by country then number. */
  listByCycle(cycle: string): Promise<Application[]>;
  get(id: string): Promise<Application | undefined>;
  /**
   * Adds an application with the next readable number of its call and country, unless `duplicateOf` finds an
   * existing one (checked under the same lock, so two submissions cannot both get in); resolves once on disk.
   */
  add(
    cycle: string,
    country: string,
    make: (id: string) => ApplicationInput,
    duplicateOf: (existing: Application) => boolean,
  ): Promise<{ application: Application; duplicate: boolean }>;
  /**
   * Reads an application and the others of its call and country, and lets `change` decide, under the same lock
   * as `add`: two decisions on one country can never interleave (quota, double presses). `change` returns the
   * new record to write (or none) and a result; resolves once on disk. Undefined when there is no such application.
   */
  update<R>(
    id: string,
    change: (app: Application, siblings: Application[]) => { app?: Application; result: R },
  ): Promise<R | undefined>;
}

/** One line of the audit log: a decision, a refused attempt, a routing change. Never rewritten. */
export const AuditEntrySchema = z.object({
  at: z.string(),
  actor: ActorSchema,
  /** Where it happened: platform and room. */
  channel: z.enum([...PLATFORMS, 'system']),
  room: z.string().optional(),
  action: z.string(),
  /** `done`, or the refusal's stable code (`not_an_endorser`, `quota_reached` …). */
  outcome: z.string(),
  application: z.string().optional(),
  cycle: z.string().optional(),
  country: z.string().optional(),
  /** The reason an endorser gave for a return or decline. */
  reason: z.string().optional(),
  /** What a routing change or a coordinator's command was about (people added, the call exported). */
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The append-only audit log. */
export interface AuditRepo {
  /** Resolves once the line is written. */
  append(entry: AuditEntry): Promise<void>;
  list(): Promise<AuditEntry[]>;
}

/**
 * Where the bot can write later without being spoken to (proactive messages): a platform's own reference to a
 * user's or a channel's conversation (Teams: a ConversationReference; Slack: a channel id), keyed like
 * `teams:user:<id>` or `slack:room:<channel>`; channels decide the key and the shape of `ref`.
 */
const MAX_ADDRESS_REF = 8192;
export const AddressSchema = z.object({
  version: z.literal(ADDRESS_VERSION),
  key: z.string().min(1),
  platform: z.enum(PLATFORMS),
  // A reference is a few hundred bytes; the cap keeps a crafted activity from filling the disk through it.
  ref: z
    .record(z.string(), z.unknown())
    .refine((r) => JSON.stringify(r).length <= MAX_ADDRESS_REF, `longer than ${MAX_ADDRESS_REF} characters as JSON`),
  updatedAt: z.string(),
});
export type Address = z.infer<typeof AddressSchema>;

export interface AddressRepo {
  get(key: string): Promise<Address | undefined>;
  /** Creates or replaces the address under `address.key`; resolves once written. */
  put(address: Address): Promise<void>;
  /** Removes the address under `key`, if any. */
  delete(key: string): Promise<void>;
}

/**
 * What the alert sender knows of one alert, under its stable key (rule, call, recipient, date): `sending`
 * from the moment it is claimed, then `sent`, or `failed` with the time of the next attempt.
 */
export const AlertRecordSchema = z.object({
  version: z.literal(ALERT_VERSION),
  key: z.string().min(1),
  rule: z.string(),
  call: z.string(),
  /** The recipient's address key (`slack:room:C0COORD`). */
  to: z.string(),
  state: z.enum(['sending', 'sent', 'failed']),
  attempts: z.number().int().min(1),
  claimedAt: z.string(), // when it was first claimed
  updatedAt: z.string(), // when its state last changed
  retryAt: z.string().optional(), // after a failure: not before this instant
  /** After a failure: the stable code (`not_reachable`, `unknown_address`, `error`). */
  error: z.string().optional(),
});
export type AlertRecord = z.infer<typeof AlertRecordSchema>;

/** The record of alerts sent, so each goes out once across restarts and processes (server and `gnlc alerts`). */
export interface AlertRepo {
  get(key: string): Promise<AlertRecord | undefined>;
  /** Creates the record if no record has the key yet (atomically, also across processes); false when one exists. */
  claim(record: AlertRecord): Promise<boolean>;
  /** Replaces the record under its key; resolves once written. */
  put(record: AlertRecord): Promise<void>;
}

/** Ids of requests already handled, kept across restarts for a retry window. */
export interface SeenRepo {
  /** True the first time `key` is claimed within `ttlMs` (at most an hour), false for repeats; resolves once kept. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface Store {
  conversations: ConversationRepo;
  applications: ApplicationRepo;
  addresses: AddressRepo;
  audit: AuditRepo;
  alerts: AlertRepo;
  seen: SeenRepo;
  /** Runs a person's turn: one at a time per key across all processes on the store, its writes all or none. */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` unless some process runs something under `name` now (an alerts pass): undefined when busy. */
  alone<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** Messages kept until delivered (a store several processes share); without it they are sent in the turn. */
  outbox?: OutboxRepo;
  /** Runs `fn` once the writes under way are committed (at once outside a transaction); awaited by the turn. */
  afterCommit(fn: () => Promise<void>): void;
  /** Rejects when the store cannot be read and written right now (`GET /healthz`). */
  health(): Promise<void>;
  /** Resolves once every queued write is on disk. */
  close(): Promise<void>;
}

/** The readable id of the n-th application (1-based) of a call and country: GNLC-2025-DE-001. */
export function applicationId(cycle: string, country: string, n: number): string {
  return `GNLC-${cycle}-${country}-${String(n).padStart(3, '0')}`;
}

/** The call and country an application id belongs to (its shard): GNLC-2025-DE-001 → 2025, DE. */
export function shardOf(id: string): { cycle: string; country: string } | undefined {
  const m = /^GNLC-(\d{4})-([A-Z]{2})-\d+$/.exec(id);
  return m ? { cycle: m[1]!, country: m[2]! } : undefined;
}
