import type { Translate } from '../../i18n/index.ts';
import type { Application, Conversation, Store } from '../records.ts';
import type { Clock } from '../clock.ts';
import type { Lang } from '../lang.ts';
import type { Reply } from '../reply.ts';
import { userKey, type Turn } from '../turn.ts';
import type { Handler } from '../router/context.ts';
import { WordLists } from '../word-lists.ts';

/** Stable action ids of the personal-data buttons. */
export const PRIVACY_ACTIONS = {
  erase: 'erase_my_data',
  keep: 'keep_my_data',
} as const;

const PRIVACY_WORDS = ['show', 'erase'] as const;
type PrivacyWord = (typeof PRIVACY_WORDS)[number];

/** What `handle` should do with the conversation after a personal-data command. */
export interface PrivacyOutcome {
  replies: Reply[];
  /** The conversation was deleted: it must not be saved again. */
  erased?: boolean;
}

/**
 * A person's own data: "my data" shows everything the bot keeps about them (and attaches it as JSON),
 * "delete my data" deletes it after a confirmation. Submitted applications are the city's official
 * applications to its National Commission and stay (the person is told how to withdraw one); the audit
 * log keeps its lines, as an audit log must.
 */
export class PrivacyDesk {
  private readonly words: WordLists<PrivacyWord>;

  constructor(private readonly deps: { t: Translate; clock: Clock; store: Store; contact: { email: string } }) {
    this.words = new WordLists(deps.t, 'privacy', PRIVACY_WORDS);
  }

  /** The personal-data handler: "my data", "delete my data" and the confirmation's buttons. */
  readonly handle: Handler = async (ctx) => {
    const { turn, conversation: conv, stored, lang, action } = ctx;
    const outcome = action
      ? await this.onAction(turn, conv, stored, action.id, lang)
      : await this.onText(turn, conv, stored, ctx.command ?? '', lang);
    if (outcome?.erased) ctx.erased = true;
    return outcome?.replies;
  };

  /** "my data" / "delete my data" typed (`command`: the text through normalizeCommand); undefined for other texts. */
  async onText(
    turn: Turn,
    conv: Conversation,
    stored: boolean,
    command: string,
    lang: Lang,
  ): Promise<PrivacyOutcome | undefined> {
    if (this.words.has('show', command)) return { replies: [await this.show(turn, conv, stored, lang)] };
    if (this.words.has('erase', command)) return { replies: [this.confirm(conv, stored, lang)] };
    return undefined;
  }

  /** The confirmation's buttons; undefined for other actions. */
  async onAction(
    turn: Turn,
    conv: Conversation,
    stored: boolean,
    id: string,
    lang: Lang,
  ): Promise<PrivacyOutcome | undefined> {
    if (id === PRIVACY_ACTIONS.keep) return { replies: [{ lang, text: this.deps.t(lang, 'privacy:kept') }] };
    if (id !== PRIVACY_ACTIONS.erase) return undefined;
    if (!stored) return { replies: [{ lang, text: this.deps.t(lang, 'privacy:nothing') }] };
    return this.erase(turn, conv, lang);
  }

  private async applications(conv: Conversation): Promise<Application[]> {
    const apps = await Promise.all(conv.applications.map((id) => this.deps.store.applications.get(id)));
    return apps.filter((a): a is Application => a !== undefined);
  }

  /** What is kept, in words: settings, the draft, the applications. */
  private what(conv: Conversation, lang: Lang): string[] {
    const t = (key: string, vars?: Record<string, unknown>) => this.deps.t(lang, key, vars);
    const parts = [t('privacy:what_settings')];
    if (conv.intake) parts.push(t('privacy:what_draft', { count: Object.keys(conv.intake.answers).length }));
    return parts;
  }

  private async show(turn: Turn, conv: Conversation, stored: boolean, lang: Lang): Promise<Reply> {
    const t = (key: string, vars?: Record<string, unknown>) => this.deps.t(lang, key, vars);
    if (!stored) return { lang, text: t('privacy:nothing') };
    const apps = await this.applications(conv);
    const what = this.what(conv, lang);
    if (apps.length) what.push(t('privacy:what_applications', { ids: apps.map((a) => a.id) }));
    const data = { account: userKey(turn), conversation: conv, applications: apps };
    return {
      lang,
      text: `${t('privacy:shown', { what })}\n\n${t('privacy:audit_note')}`,
      files: [{ name: 'gnlc-my-data.json', mime: 'application/json', content: `${JSON.stringify(data, null, 2)}\n` }],
    };
  }

  private confirm(conv: Conversation, stored: boolean, lang: Lang): Reply {
    const t = (key: string, vars?: Record<string, unknown>) => this.deps.t(lang, key, vars);
    if (!stored) return { lang, text: t('privacy:nothing') };
    const lines = [t('privacy:confirm', { what: this.what(conv, lang) })];
    if (conv.applications.length)
      lines.push(t('privacy:applications_kept', { ids: conv.applications, email: this.deps.contact.email }));
    return {
      lang,
      text: lines.join('\n\n'),
      actions: [
        { id: PRIVACY_ACTIONS.erase, label: t('privacy:buttons.erase'), value: PRIVACY_ACTIONS.erase, style: 'danger' },
        { id: PRIVACY_ACTIONS.keep, label: t('privacy:buttons.keep'), value: PRIVACY_ACTIONS.keep },
      ],
    };
  }

  /** Deletes the conversation and the stored addresses of this person; the audit log records that it was done. */
  private async erase(turn: Turn, conv: Conversation, lang: Lang): Promise<PrivacyOutcome> {
    const { store } = this.deps;
    await store.conversations.delete(conv.key);
    for (const id of [turn.user.id, ...(turn.user.altIds ?? [])])
      await store.addresses.delete(`${turn.platform}:user:${id}`);
    await store.audit.append({
      at: this.deps.clock.now().toISOString(),
      actor: { key: userKey(turn) },
      channel: turn.platform,
      room: turn.room.id,
      action: 'erase_my_data',
      outcome: 'done',
      ...(conv.applications.length ? { detail: `applications kept: ${conv.applications.join(' ')}` } : {}),
    });
    return { replies: [{ lang, text: this.deps.t(lang, 'privacy:erased') }], erased: true };
  }
}
