import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { issueOf, StoreWriteError } from '../store-errors.ts';
import path from 'node:path';
import { z } from 'zod';
import { DataFileError, parseData } from '../data-file.ts';
import { isCountryCode } from '../application/parse.ts';
import type { Endpoint } from '../notifier.ts';
import { PLATFORMS, type Turn } from '../turn.ts';
import { isLang, LANGS, type Lang } from '../lang.ts';
import { isTimeZone } from '../time-zone.ts';

const Channel = z.enum(PLATFORMS, { message: `must be one of ${PLATFORMS.map((p) => `"${p}"`).join(', ')}` });
const Room = z.object({ channel: Channel, id: z.string().min(1, 'must not be empty') }).strict();
/** Where alerts are timed (09:00 local) and written; default: the call's zone. */
const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin"');
const Member = z
  .object({
    channel: Channel,
    user: z.string().min(1, 'must not be empty'),
    name: z.string().optional(),
    /** The person's e-mail address: an endorser named as an application's contact person cannot decide on it. */
    email: z.email().optional(),
    /** The invitation link (its id) that made a web chat visitor this endorser; each admits one visitor. */
    invite: z.string().optional(),
  })
  .strict();
export type Room = z.infer<typeof Room>;
export type Member = z.infer<typeof Member>;

const Commission = z
  .object({
    name: z.string().min(1).optional(),
    /** Where applicants can write when the commission has no room here. */
    email: z.email().optional(),
    /** The language the commission's cards are written in (default: its country's, if one of the six, else English). */
    lang: z.enum(LANGS).optional(),
    timeZone: TimeZone.optional(),
    room: Room.optional(),
    endorsers: z.array(Member).default([]),
  })
  .strict();
export type Commission = z.infer<typeof Commission>;

/**
 * Who receives what (GNLC_CONFIG): the coordinators' room and members, and per country the National
 * Commission's room and the people allowed to decide for it. `localDemo` (the default when there is no
 * configuration at all) routes every country to the local room `commission-<CC>`, where any local user
 * acts as an endorser, and makes local users in the room `coordinators` coordinators.
 */
export const RoutingSchema = z
  .object({
    localDemo: z.boolean().default(false),
    coordinators: z
      .object({
        room: Room.optional(),
        members: z.array(Member).default([]),
        lang: z.enum(LANGS).optional(),
        timeZone: TimeZone.optional(),
      })
      .strict()
      .default({ members: [] }),
    commissions: z
      .record(
        z.string().refine(isCountryCode, 'must be a two-letter ISO 3166 country code such as DE or KE'),
        Commission,
      )
      .default({}),
  })
  .strict();
export type RoutingConfig = z.infer<typeof RoutingSchema>;

/** The local room of a country's commission in the demo. */
export const demoRoom = (country: string): Room => ({ channel: 'local', id: `commission-${country}` });
/** The local room of the coordinators in the demo. */
export const DEMO_COORDINATORS: Room = { channel: 'local', id: 'coordinators' };

const DEMO: RoutingConfig = {
  localDemo: true,
  coordinators: { room: DEMO_COORDINATORS, members: [] },
  commissions: {},
};

/** The endpoint of a room. */
export function roomEndpoint(room: Room): Endpoint {
  return { channel: room.channel, kind: 'room', id: room.id };
}

/** True when the turn's user is this member (Teams users may be known by a second id). */
function isMember(turn: Pick<Turn, 'platform' | 'user'>, m: Member): boolean {
  return m.channel === turn.platform && (m.user === turn.user.id || (turn.user.altIds ?? []).includes(m.user));
}

/**
 * The routing configuration in use, changed at run time by coordinators' commands and written back
 * (atomically: temporary file and rename) to the file it came from, or to `<data dir>/routing.json`.
 */
export class Routing {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private config: RoutingConfig,
    /** Where changes are written; none for a throw-away configuration (tests of the core). */
    readonly file?: string,
  ) {}

  /** A copy of the configuration as it is now. */
  snapshot(): RoutingConfig {
    return structuredClone(this.config);
  }

  /** The commission of a country, or undefined when none is configured (the demo makes one up). */
  commission(country: string): (Commission & { room?: Room }) | undefined {
    const c = this.config.commissions[country];
    if (this.config.localDemo && !c?.room) return { ...(c ?? { endorsers: [] }), room: demoRoom(country) };
    return c;
  }

  /**
   * The language of a commission's cards and alerts: its own (`lang`), else its country's likely language when it
   * is one of the six (CLDR's likely subtags: Russia Russian, Egypt Arabic, Mexico Spanish), else English.
   */
  commissionLang(country: string): Lang {
    const own = this.config.commissions[country]?.lang;
    if (own) return own;
    const likely = new Intl.Locale(`und-${country}`).maximize().language;
    return isLang(likely) ? likely : 'en';
  }

  /** True when the turn's user may decide for the country's commission. */
  isEndorser(turn: Pick<Turn, 'platform' | 'user' | 'room'>, country: string): boolean {
    const c = this.commission(country);
    if (c?.endorsers.some((m) => isMember(turn, m))) return true;
    // The local demo: whoever speaks in the commission's local room acts for it.
    return (
      this.config.localDemo &&
      turn.platform === 'local' &&
      turn.room.id === demoRoom(country).id &&
      c?.room?.id === turn.room.id
    );
  }

  /** True when the turn's user decides for some commission (then the commission's dates concern them first). */
  endorsesAny(turn: Pick<Turn, 'platform' | 'user' | 'room'>): boolean {
    const demo = this.config.localDemo && turn.platform === 'local' && /^commission-[A-Z]{2}$/.test(turn.room.id);
    return demo || this.endorsedCountries(turn).length > 0;
  }

  /** The countries of the configured commissions the turn's user decides for. */
  endorsedCountries(turn: Pick<Turn, 'platform' | 'user' | 'room'>): string[] {
    return Object.keys(this.config.commissions).filter((c) => this.isEndorser(turn, c));
  }

  /** The e-mail addresses the configuration gives the turn's user as an endorser of the country's commission. */
  endorserEmails(turn: Pick<Turn, 'platform' | 'user'>, country: string): string[] {
    return (this.commission(country)?.endorsers ?? [])
      .filter((m) => isMember(turn, m) && m.email)
      .map((m) => m.email!.toLowerCase());
  }

  /** True when the turn's user is a coordinator. */
  isCoordinator(turn: Pick<Turn, 'platform' | 'user' | 'room'>): boolean {
    if (this.config.coordinators.members.some((m) => isMember(turn, m))) return true;
    return this.config.localDemo && turn.platform === 'local' && turn.room.id === DEMO_COORDINATORS.id;
  }

  /** The language of the coordinators' messages. */
  coordinatorsLang(): (typeof LANGS)[number] {
    return this.config.coordinators.lang ?? 'en';
  }

  /** The zone the coordinators' alerts are timed in, if configured (else each call's zone). */
  coordinatorsZone(): string | undefined {
    return this.config.coordinators.timeZone;
  }

  /** Where the coordinators are told things: their room, else each of them directly. */
  coordinatorEndpoints(): Endpoint[] {
    const room = this.config.coordinators.room;
    if (room) return [roomEndpoint(room)];
    return this.config.coordinators.members.map((m): Endpoint => ({ channel: m.channel, kind: 'user', id: m.user }));
  }

  /** Makes `room` the commission's room of `country` (keeping its endorsers); `name` when given. */
  registerCommission(country: string, room: Room, name?: string): Promise<void> {
    const c = this.config.commissions[country] ?? { endorsers: [] };
    this.config.commissions[country] = { ...c, room, ...(name ? { name } : {}) };
    return this.persist();
  }

  /** Makes `room` the coordinators' room. */
  registerCoordinators(room: Room): Promise<void> {
    this.config.coordinators.room = room;
    return this.persist();
  }

  /** Adds endorsers to a country's commission; resolves to those that were not there yet. */
  async addEndorsers(country: string, members: Member[]): Promise<Member[]> {
    const c = this.config.commissions[country] ?? { endorsers: [] };
    const added = members.filter((m) => !c.endorsers.some((e) => e.channel === m.channel && e.user === m.user));
    this.config.commissions[country] = { ...c, endorsers: [...c.endorsers, ...added] };
    if (added.length) await this.persist();
    return added;
  }

  /**
   * Makes a web chat visitor an endorser of a country's commission through an invitation, once: `used` when
   * another visitor already came with it, `already` when this one did (or is an endorser already). A commission
   * with no room of its own gets the web desk `commission-<CC>`: its cards go to its endorsers' web chats; one
   * with no language of its own, the endorser's (`lang`).
   */
  async admit(
    country: string,
    member: Member & { invite: string },
    lang?: Lang,
  ): Promise<'added' | 'already' | 'used'> {
    const c = this.config.commissions[country] ?? { endorsers: [] };
    const same = (e: Member) => e.channel === member.channel && e.user === member.user;
    const prior = c.endorsers.find((e) => e.invite === member.invite);
    if (prior) return same(prior) ? 'already' : 'used';
    if (c.endorsers.some(same)) return 'already';
    const room = c.room ?? { channel: 'web' as const, id: `commission-${country}` };
    const language = c.lang ?? lang;
    this.config.commissions[country] = {
      ...c,
      room,
      ...(language ? { lang: language } : {}),
      endorsers: [...c.endorsers, member],
    };
    await this.persist();
    return 'added';
  }

  /** The name the configuration gives the turn's user (an endorser or a coordinator), if any. */
  memberName(turn: Pick<Turn, 'platform' | 'user'>): string | undefined {
    const c = this.config;
    const members = [...c.coordinators.members, ...Object.values(c.commissions).flatMap((x) => x.endorsers)];
    return members.find((m) => m.name && isMember(turn, m))?.name;
  }

  /** The web chat visitors who endorse for a country's commission. */
  webEndorsers(country: string): string[] {
    return (this.config.commissions[country]?.endorsers ?? []).filter((m) => m.channel === 'web').map((m) => m.user);
  }

  /** Removes endorsers; resolves to those that were there. */
  async removeEndorsers(country: string, members: Member[]): Promise<Member[]> {
    const c = this.config.commissions[country];
    if (!c) return [];
    const gone = c.endorsers.filter((e) => members.some((m) => e.channel === m.channel && e.user === m.user));
    c.endorsers = c.endorsers.filter((e) => !gone.includes(e));
    if (gone.length) await this.persist();
    return gone;
  }

  /** Writes the configuration (one write at a time, each atomic); resolves once it is on disk. */
  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = `${JSON.stringify(this.config, null, 2)}\n`;
    // Validated as it will be read at the next start: a configuration that would not load is never written.
    const back = RoutingSchema.safeParse(JSON.parse(text));
    if (!back.success)
      return Promise.reject(new StoreWriteError({ file: path.basename(file), ...issueOf(back.error) }));
    this.writing = this.writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
    });
    return this.writing;
  }
}

/**
 * The routing in use: the file named by GNLC_CONFIG (which must exist), else `<dataDir>/routing.json`
 * when a coordinator has changed the demo before, else the local demo. A broken file throws a
 * DataFileError naming the file, the entry and the field.
 */
export function loadRouting(configFile: string | undefined, dataDir: string): Routing {
  if (configFile) {
    const file = path.resolve(configFile);
    if (!existsSync(file))
      throw new DataFileError(configFile, undefined, undefined, 'GNLC_CONFIG names a file that does not exist');
    return new Routing(parseData(configFile, readFileSync(file, 'utf8'), RoutingSchema), file);
  }
  const file = path.resolve(dataDir, 'routing.json');
  if (existsSync(file)) return new Routing(parseData(file, readFileSync(file, 'utf8'), RoutingSchema), file);
  return new Routing(structuredClone(DEMO), file);
}

/** A routing that lives in memory only (tests, `gnlc ask`). */
export function memoryRouting(config: z.input<typeof RoutingSchema> = DEMO): Routing {
  return new Routing(RoutingSchema.parse(config));
}
