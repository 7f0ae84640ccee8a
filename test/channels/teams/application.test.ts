import { afterEach, describe, expect, it } from 'vitest';
import { FIELD } from '../../../src/core/application/form.ts';
import { normalizeCommand } from '../../../src/core/word-lists.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { EXPECTED_RECORD, validAnswers } from '../../conversation.ts';
import {
  cardProblems,
  cardsOf,
  elements,
  findSubmit,
  lastCard,
  startTeams,
  TeamsUser,
  type ConnectorCall,
  type TeamsApp,
} from './harness.ts';

let app: TeamsApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Every card the bot sent or updated passes the adaptivecards parser with no warning. */
function expectValidCards(calls: ConnectorCall[]): number {
  let n = 0;
  for (const c of calls) {
    for (const card of cardsOf(c.activity)) {
      n++;
      expect(card.version).toBe('1.5');
      expect(cardProblems(card), JSON.stringify(card)).toEqual([]);
    }
  }
  return n;
}

const LOCALES: Partial<Record<Lang, string>> = { fr: 'fr-FR', ar: 'ar-EG' };

describe.each(Object.entries(LOCALES) as [Lang, string][])(
  'a whole application in a personal chat (%s)',
  (lang, locale) => {
    const wholeApplicationInCards =
      'greets on install, asks every field with cards, refreshes pressed cards and stores the application';
    it(wholeApplicationInCards, async () => {
      app = await startTeams({ at: '2025-06-01T10:00:00Z' });
      const t = app.core.i18n.t;
      const user = new TeamsUser(app, { locale, timeZone: 'Asia/Tokyo' });

      // Install: Teams adds the bot to the personal conversation.
      const welcome = await user.send(
        user.activity('conversationUpdate', { membersAdded: [{ id: user.bot.id }], text: undefined }),
      );
      expect(welcome).toHaveLength(1);
      expect(welcome[0]!.activity.text).toContain(t(lang, 'common:greeting'));
      expect(findSubmit(cardsOf(welcome[0]!.activity)[0], 'apply')).toBeDefined();
      expect(await app.store.addresses.get(`teams:user:${user.aad}`)).toMatchObject({
        platform: 'teams',
        ref: { conversation: { id: user.conversation.id } },
      });

      const answers = validAnswers(lang, t);
      let calls = await user.say(t(lang, 'form:commands.apply_phrases').split('|')[0]!);
      const key = `teams:${user.aad}`;
      let pressedChoices = 0;
      let typed = 0;
      for (let i = 0; i < 80; i++) {
        const intake = (await app.store.conversations.get(key))?.intake;
        if (intake?.mode !== 'filling') break;
        const field = intake.field!;
        const answer = answers[field]!;
        for (const m of calls.filter((c) => c.method === 'POST')) expect(m.activity.locale).toBe(lang);
        const shown = lastCard(calls);
        const input = shown && elements(shown.card).find((e) => e.type === 'Input.ChoiceSet');
        const buttons = shown
          ? elements(shown.card).filter((e) => e.type === 'Action.Submit' && e.data.action === 'choose')
          : [];
        if (input) {
          // A choice input: pick the choices whose titles the answer names, then press the card's send button.
          const parts = input.isMultiSelect ? answer.split(/\s*[,،，、]\s*/u) : [answer];
          const values = parts.map(
            (p) => input.choices.find((c: any) => normalizeCommand(c.title) === normalizeCommand(p))?.value,
          );
          expect(values.every(Boolean), `${field}: ${answer} among ${JSON.stringify(input.choices)}`).toBe(true);
          expect(input.label).toBeTruthy();
          calls = await user.submit(shown!.id, { ...findSubmit(shown!.card, 'choose').data, value: values.join(',') });
          pressedChoices++;
        } else if (buttons.length) {
          const b =
            FIELD.get(field)?.kind === 'confirm'
              ? buttons.find((x) => x.data.value === `${field}=yes`)
              : buttons.find((x) => normalizeCommand(x.title) === normalizeCommand(answer));
          expect(b, `${field}: button for ${answer}`).toBeDefined();
          calls = await user.submit(shown!.id, b.data);
          pressedChoices++;
          // The pressed question is redrawn in place without buttons, naming the choice.
          const update = calls.find((c) => c.method === 'PUT' && c.target === shown!.id);
          expect(update?.activity.text).toBeTruthy();
          const redrawn = cardsOf(update!.activity)[0];
          expect(elements(redrawn).some((e) => e.type === 'Action.Submit')).toBe(false);
          expect(JSON.stringify(redrawn)).toContain(b.title);
        } else {
          calls = await user.say(answer);
          typed++;
        }
      }
      expect(pressedChoices).toBeGreaterThanOrEqual(10);
      expect(typed).toBeGreaterThanOrEqual(15);

      // The review: a FactSet per section, Submit / Edit / Cancel.
      expect((await app.store.conversations.get(key))?.intake?.mode).toBe('review');
      const review = lastCard(calls)!;
      const facts = elements(review.card)
        .filter((e) => e.type === 'FactSet')
        .flatMap((f) => f.facts);
      expect(facts.length).toBeGreaterThanOrEqual(30);
      expect(facts.map((f: any) => f.value)).toContain(`Testville ${lang}`);
      calls = await user.submit(review.id, findSubmit(review.card, 'submit').data);
      const refreshed = calls.find((c) => c.method === 'PUT' && c.target === review.id);
      expect(refreshed, 'the review card is refreshed in place').toBeDefined();
      expect(elements(cardsOf(refreshed!.activity)[0]).filter((e) => e.type === 'FactSet').length).toBeGreaterThan(0);
      expect(elements(cardsOf(refreshed!.activity)[0]).some((e) => e.type === 'Action.Submit')).toBe(false);

      // A second press on the stale review button does nothing.
      expect(await user.submit(review.id, findSubmit(review.card, 'submit').data)).toEqual([]);

      const confirm = lastCard(calls)!;
      calls = await user.submit(confirm.id, findSubmit(confirm.card, 'confirm_yes').data);
      const done = calls.find((c) => c.method === 'POST' && /GNLC-2025-KE-\d{3}/.test(c.activity.text));
      expect(done?.activity.locale).toBe(lang);
      const [stored] = await app.store.applications.listByCountry('2025', 'KE');
      expect(stored).toMatchObject({
        status: 'submitted',
        lang,
        applicant: { platform: 'teams', userId: user.aad, room: user.conversation.id },
      });
      expect(stored!.answers).toMatchObject({ ...EXPECTED_RECORD, 'city.name': `Testville ${lang}` });

      expect(expectValidCards(app.connector.calls)).toBeGreaterThan(20);
    });
  },
);
