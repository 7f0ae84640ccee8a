import type { Translate } from '../../i18n/index.ts';
import type { Store } from '../records.ts';
import { countryName, isCountryCode } from '../application/parse.ts';
import { phaseAt } from '../calls/engine.ts';
import type { Call } from '../calls/schema.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import type { Reply } from '../reply.ts';
import { userKey, type Turn } from '../turn.ts';
import { normalizeCommand, WordLists } from '../word-lists.ts';
import type { EndorsementDesk } from './desk.ts';
import { countsByCountry, STATUS_ORDER, toCsv, toJson } from './export.ts';
import type { Member, Room, Routing } from './routing.ts';

/** Words of the coordinators' commands in every language (locales/<lng>/endorse.json `commands`). */
const ADMIN_WORDS = [
  'register',
  'commission',
  'coordinators',
  'add',
  'remove',
  'endorser',
  'routing',
  'export',
  'status',
] as const;
type AdminWord = (typeof ADMIN_WORDS)[number];

/** A parsed coordinator command. */
type Command =
  | { kind: 'register_commission'; code: string; name?: string }
  | { kind: 'register_coordinators' }
  | { kind: 'add' | 'remove'; code: string; users: string[] }
  | { kind: 'routing' }
  | { kind: 'status'; cycle?: string; bare: boolean }
  | { kind: 'export'; cycle?: string }
  | { kind: 'alerts' };

/** What the coordinators' commands need. */
export interface AdminDeps {
  t: Translate;
  clock: Clock;
  calls: readonly Call[];
  store: Store;
  routing: Routing;
  desk: EndorsementDesk;
  /** The word "alerts" in any language, and the schedule of alerts it shows coordinators. */
  alerts?: { isWord(text: string): boolean; plan(lang: Lang): Promise<Reply> };
}

/**
 * The coordinators' chat commands: make a channel a commission's or the coordinators' room, add and
 * remove endorsers, show the routing, count applications per country and status, export a call.
 * Everything but a bare "status" is refused (and audited) for anyone who is not a coordinator.
 */
export class AdminCommands {
  private readonly words: WordLists<AdminWord>;

  constructor(private readonly deps: AdminDeps) {
    this.words = new WordLists(deps.t, 'endorse', ADMIN_WORDS);
  }

  private t(lang: Lang, key: string, vars?: Record<string, unknown>): string {
    return this.deps.t(lang, key, vars);
  }

  /** Reads a command out of typed text; undefined when the text is not one. */
  parse(text: string): Command | undefined {
    const raw = text.trim().split(/\s+/);
    // Commands are recognised by their first two words; the rest (a name, people) is taken as typed.
    const w = raw.slice(0, 2).map((x) => normalizeCommand(x));
    const is = (kind: AdminWord, i: number) => w[i] !== undefined && this.words.has(kind, w[i]!);
    if (is('register', 0) && is('commission', 1) && raw[2])
      return { kind: 'register_commission', code: raw[2].toUpperCase(), name: raw.slice(3).join(' ') || undefined };
    if (is('register', 0) && is('coordinators', 1) && raw.length === 2) return { kind: 'register_coordinators' };
    if ((is('add', 0) || is('remove', 0)) && is('endorser', 1) && raw[2]) {
      return { kind: is('add', 0) ? 'add' : 'remove', code: raw[2].toUpperCase(), users: raw.slice(3) };
    }
    if (is('routing', 0) && raw.length === 1) return { kind: 'routing' };
    if (is('export', 0) && raw.length <= 2) return { kind: 'export', cycle: raw[1] };
    if (is('status', 0) && raw.length <= 2) return { kind: 'status', cycle: raw[1], bare: raw.length === 1 };
    if (raw.length === 1 && this.deps.alerts?.isWord(raw[0]!)) return { kind: 'alerts' };
    return undefined;
  }

  /** Runs a coordinator command; undefined when the text is not one (or a bare "status" from a non-coordinator). */
  async onText(turn: Turn, text: string, lang: Lang): Promise<Reply[] | undefined> {
    const cmd = this.parse(text);
    if (!cmd) return undefined;
    const routing = this.deps.routing;
    if (!routing.isCoordinator(turn)) {
      // A bare "status" or "alerts" from anyone else is about their own application and alerts.
      if ((cmd.kind === 'status' && cmd.bare) || cmd.kind === 'alerts') return undefined;
      await this.audit(turn, cmd.kind, 'not_a_coordinator');
      return [{ lang, text: this.t(lang, 'endorse:refused.not_a_coordinator') }];
    }
    const here: Room = { channel: turn.platform, id: turn.room.id };
    switch (cmd.kind) {
      case 'register_commission': {
        if (!isCountryCode(cmd.code))
          return [{ lang, text: this.t(lang, 'endorse:admin.bad_country', { code: cmd.code }) }];
        await routing.registerCommission(cmd.code, here, cmd.name);
        await this.audit(turn, 'register_commission', 'done', cmd.code);
        return [
          {
            lang,
            text: this.t(lang, 'endorse:admin.commission_registered', {
              commission: this.deps.desk.commissionName(cmd.code, lang),
              code: cmd.code,
              country: countryName(cmd.code, lang),
            }),
          },
        ];
      }
      case 'register_coordinators':
        await routing.registerCoordinators(here);
        await this.audit(turn, 'register_coordinators', 'done');
        return [{ lang, text: this.t(lang, 'endorse:admin.coordinators_registered') }];
      case 'add':
      case 'remove': {
        if (!isCountryCode(cmd.code))
          return [{ lang, text: this.t(lang, 'endorse:admin.bad_country', { code: cmd.code }) }];
        const members = this.members(turn, cmd.users);
        if (!members.length) return [{ lang, text: this.t(lang, 'endorse:admin.no_users') }];
        const changed =
          cmd.kind === 'add'
            ? await routing.addEndorsers(cmd.code, members)
            : await routing.removeEndorsers(cmd.code, members);
        await this.audit(
          turn,
          `${cmd.kind}_endorser`,
          'done',
          cmd.code,
          changed.map((m) => `${m.channel}:${m.user}`).join(' '),
        );
        const users = (changed.length ? changed : members).map(show);
        const key = !changed.length
          ? 'endorsers_unchanged'
          : cmd.kind === 'add'
            ? 'endorsers_added'
            : 'endorsers_removed';
        return [{ lang, text: this.t(lang, `endorse:admin.${key}`, { code: cmd.code, users }) }];
      }
      case 'routing':
        return [{ lang, text: this.routingText(lang) }];
      case 'alerts':
        await this.audit(turn, 'alerts', 'done');
        return [await this.deps.alerts!.plan(lang)];
      case 'status':
      case 'export': {
        const call = cmd.cycle
          ? this.deps.calls.find((c) => c.id === cmd.cycle)
          : phaseAt(this.deps.calls, this.deps.clock.now()).call;
        if (!call)
          return [
            {
              lang,
              text: this.t(lang, 'endorse:admin.unknown_call', {
                cycle: cmd.cycle,
                list: this.deps.calls.map((c) => c.id),
              }),
            },
          ];
        await this.audit(turn, cmd.kind, 'done', undefined, call.id);
        return [cmd.kind === 'status' ? await this.status(call.id, lang) : await this.export(call.id, lang)];
      }
    }
  }

  /** The people named in an endorser command: mentioned users, else the ids typed (`@` and `<@…>` dropped). */
  private members(turn: Turn, typed: string[]): Member[] {
    const ids = turn.mentions?.length
      ? turn.mentions.map((m) => ({ user: m.id, name: m.name }))
      : typed.map((x) => ({ user: x.replace(/^<@|>$/g, '').replace(/^@/, ''), name: undefined })).filter((m) => m.user);
    return ids.map((m) => ({ channel: turn.platform, user: m.user, ...(m.name ? { name: m.name } : {}) }));
  }

  private routingText(lang: Lang): string {
    const cfg = this.deps.routing.snapshot();
    const none = this.t(lang, 'endorse:admin.none');
    const room = (r?: Room) => (r ? `${r.channel}:${r.id}` : none);
    const members = (ms: Member[]) => (ms.length ? ms.map(show) : none);
    // Plain text, the title on its own line: the core's text is not Slack mrkdwn (`*…*` showed literally elsewhere).
    const lines = [this.t(lang, 'endorse:admin.routing_title')];
    lines.push(
      this.t(lang, 'endorse:admin.routing_coordinators', {
        room: room(cfg.coordinators.room),
        members: members(cfg.coordinators.members),
      }),
    );
    for (const [code, c] of Object.entries(cfg.commissions).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(
        this.t(lang, 'endorse:admin.routing_commission', {
          code,
          commission: this.deps.desk.commissionName(code, lang),
          room: room(c.room),
          members: members(c.endorsers),
        }),
      );
    }
    if (cfg.localDemo) lines.push(this.t(lang, 'endorse:admin.routing_demo'));
    return lines.join('\n');
  }

  /** Counts per country and status for a call. */
  async status(cycle: string, lang: Lang): Promise<Reply> {
    const apps = await this.deps.store.applications.listByCycle(cycle);
    if (!apps.length) return { lang, text: this.t(lang, 'endorse:admin.status_empty', { cycle }) };
    const fmt = (row: Record<string, number>) =>
      STATUS_ORDER.filter((s) => row[s])
        .map((s) => `${this.t(lang, `form:status_names.${s}`)} ${row[s]}`)
        .join(' · ');
    const lines = [this.t(lang, 'endorse:admin.status_title', { cycle })];
    const total: Record<string, number> = {};
    for (const [code, row] of countsByCountry(apps)) {
      lines.push(
        this.t(lang, 'endorse:admin.status_line', { country: countryName(code, lang), code, counts: fmt(row) }),
      );
      for (const s of STATUS_ORDER) total[s] = (total[s] ?? 0) + row[s];
    }
    lines.push(this.t(lang, 'endorse:admin.status_total', { counts: fmt(total) }));
    return { lang, text: lines.join('\n') };
  }

  /** Every application of a call with its decisions, as CSV and JSON files. */
  async export(cycle: string, lang: Lang): Promise<Reply> {
    const apps = await this.deps.store.applications.listByCycle(cycle);
    return {
      lang,
      text: this.t(lang, 'endorse:admin.export_ready', { cycle, count: apps.length }),
      files: [
        { name: `gnlc-${cycle}.csv`, mime: 'text/csv', content: toCsv(apps) },
        { name: `gnlc-${cycle}.json`, mime: 'application/json', content: toJson(apps) },
      ],
    };
  }

  private audit(turn: Turn, action: string, outcome: string, country?: string, detail?: string): Promise<void> {
    return this.deps.store.audit.append({
      at: this.deps.clock.now().toISOString(),
      actor: { key: userKey(turn), ...(turn.user.name ? { name: turn.user.name } : {}) },
      channel: turn.platform,
      room: turn.room.id,
      action,
      outcome,
      ...(country ? { country } : {}),
      ...(detail ? { detail } : {}),
    });
  }
}

/** A member as shown in chat: their name, else their platform id. */
function show(m: Member): string {
  return m.name ? `${m.name} (${m.user})` : m.user;
}
