import { z } from 'zod';
import { LANGS } from '../core/lang.ts';
import { AnswersSchema, CompleteAnswersSchema } from '../core/application/form.ts';

/** Version of the stored record formats; records of another version are migrated or dropped on load. */
export const STORE_VERSION = 1;

const Lang = z.enum(LANGS);

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
  /** Multi-choice selection being built with buttons. */
  pick: z.array(z.string()).optional(),
  /** The mode to go back to when a cancel is not confirmed. */
  previousMode: z.enum(['filling', 'review']).optional(),
  startedAt: z.string(),
});
export type Intake = z.infer<typeof IntakeSchema>;

/** Everything the bot remembers about one user (one file per user in the embedded store). */
export const ConversationSchema = z.object({
  version: z.literal(STORE_VERSION),
  key: z.string(),
  lang: z.object({ chosen: Lang.optional(), last: Lang.optional() }).default({}),
  intake: IntakeSchema.optional(),
  /** Ids of the applications this user submitted. */
  applications: z.array(z.string()).default([]),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** Lifecycle of a submitted application (later issues add endorsement decisions). */
export const ApplicationStatus = z.enum(['submitted']);

/** A submitted application. */
export const ApplicationSchema = z.object({
  version: z.literal(STORE_VERSION),
  /** Readable id: GNLC-<cycle>-<country>-<nnn>. */
  id: z.string().regex(/^GNLC-\d{4}-[A-Z]{2}-\d{3,}$/),
  cycle: z.string(),
  country: z.string().length(2),
  /** City name folded for duplicate detection. */
  cityKey: z.string(),
  status: ApplicationStatus,
  applicant: z.object({ key: z.string(), platform: z.enum(['slack', 'teams', 'local']), userId: z.string(), room: z.string() }),
  lang: Lang,
  answers: CompleteAnswersSchema,
  /** The pledge's date (the day of submission) and the applicant's confirmation that the mayor endorses it. */
  pledgeDate: z.string(),
  mayorEndorsementConfirmed: z.literal(true),
  submittedAt: z.string(),
  history: z.array(z.object({ at: z.string(), status: z.string(), by: z.string() })),
});
export type Application = z.infer<typeof ApplicationSchema>;

/** Per-user conversation state. */
export interface ConversationRepo {
  get(key: string): Promise<Conversation | undefined>;
  /** Resolves once the record is durably written. */
  save(conversation: Conversation): Promise<void>;
}

/** Submitted applications, sharded by call and country (the unit of quota and endorsement). */
export interface ApplicationRepo {
  listByCountry(cycle: string, country: string): Promise<Application[]>;
  get(id: string): Promise<Application | undefined>;
  /**
   * Adds an application with the next readable number of its call and country, unless `duplicateOf`
   * finds an existing one (checked under the same lock, so two submissions cannot both get in).
   * Resolves once the application is on disk.
   */
  add(
    cycle: string,
    country: string,
    make: (id: string) => Application,
    duplicateOf: (existing: Application) => boolean,
  ): Promise<{ application: Application; duplicate: boolean }>;
}

/**
 * Where the bot can write later without being spoken to (proactive messages): a platform's own
 * reference to a user's or a channel's conversation (Teams: a ConversationReference; Slack: a channel id).
 * Keyed like `teams:user:<id>` or `slack:room:<channel>`; channels decide the key and the shape of `ref`.
 */
export const AddressSchema = z.object({
  version: z.literal(STORE_VERSION),
  key: z.string().min(1),
  platform: z.enum(['slack', 'teams', 'local']),
  ref: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});
export type Address = z.infer<typeof AddressSchema>;

/** Stored addresses for proactive messages. */
export interface AddressRepo {
  get(key: string): Promise<Address | undefined>;
  /** Creates or replaces the address under `address.key`; resolves once written. */
  put(address: Address): Promise<void>;
}

/** A store: the repositories plus a way to wait for pending writes. */
export interface Store {
  conversations: ConversationRepo;
  applications: ApplicationRepo;
  addresses: AddressRepo;
  close(): Promise<void>;
}

/** The readable id of the n-th application (1-based) of a call and country: GNLC-2025-DE-001. */
export function applicationId(cycle: string, country: string, n: number): string {
  return `GNLC-${cycle}-${country}-${String(n).padStart(3, '0')}`;
}
