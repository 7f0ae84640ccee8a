import { formatDay } from '../calls/format.ts';
import type { Application } from '../records.ts';
import { decisionDeadline, forward } from './decisions.ts';
import type { Postings } from './post.ts';

/**
 * What follows a decision: an endorsed application forwarded to the coordinators (now, or later when the alerts
 * retry a failed delivery), and the applicant told of the outcome in their language.
 */
export class AfterDecision {
  constructor(private readonly post: Postings) {}

  /** `endorsed → forwarded`: the coordinators get the endorsed application; undefined when nobody could be reached. */
  async forward(app: Application, siblings: Application[]): Promise<Application | undefined> {
    const card = await this.post.forwardedCard(app, siblings);
    const posted = await this.post.toCoordinators(() => [card], 'forward');
    if (!posted.length) return undefined;
    return this.markForwarded(app);
  }

  private async markForwarded(app: Application): Promise<Application | undefined> {
    const now = this.post.deps.clock.now();
    const done = await this.post.deps.store.applications.update(app.id, (a) => {
      if (a.status !== 'endorsed') return { result: undefined };
      const next = forward(a, now);
      return { app: next, result: next };
    });
    const outcome = done ? 'done' : 'not_endorsed';
    await this.post.audit({
      actor: { key: 'system' },
      channel: 'system',
      action: 'forward',
      outcome,
      application: app.id,
      cycle: app.cycle,
      country: app.country,
    });
    return done;
  }

  /**
   * An endorsed application whose forwarding failed has now reached the coordinators (the alerts retried
   * it): it becomes `forwarded`, the commission's card says so, and the applicant is told.
   */
  async forwardedLate(app: Application): Promise<void> {
    const done = await this.markForwarded(app);
    if (!done) return;
    await this.post.refresh(done);
    const lang = done.lang;
    const city = done.answers['city.name'];
    const text = this.post.deps.t(lang, 'endorse:applicant.forwarded', {
      id: done.id,
      city,
      commission: this.post.commissionName(done.country, lang),
    });
    await this.post.toApplicant(done, { lang, text });
  }

  async tellApplicant(app: Application, forwarded: boolean): Promise<void> {
    const lang = app.lang;
    const status = app.decision?.status ?? app.status;
    const deadline = decisionDeadline(this.post.call(app));
    const city = app.answers['city.name'];
    const commission = this.post.commissionName(app.country, lang);
    // Endorsed and forwarded in one go: one message says both.
    const key = status === 'endorsed' && forwarded ? 'endorsed_forwarded' : status;
    const text = this.post.deps.t(lang, `endorse:applicant.${key}`, {
      id: app.id,
      city,
      commission,
      reason: app.decision?.reason ?? '',
      email: this.post.deps.contact.email,
      deadline: deadline ? formatDay(deadline.date, lang) : this.post.deps.t(lang, 'endorse:no_deadline'),
    });
    const actions = status === 'returned' ? [this.post.text.reopenButton(app, lang)] : undefined;
    await this.post.toApplicant(app, { lang, text, actions });
  }
}
