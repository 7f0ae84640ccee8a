import { describe, expect, it } from 'vitest';
import { ENDORSE_ACTIONS } from '../../../src/core/endorsement/decisions.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { inRoom, submitApplication, world, type World } from '../../endorsement-world.ts';

/**
 * Every role against every privileged action, each cell in a fresh world with one German application
 * waiting: only the allowed cells take effect; every refusal changes nothing and is audited.
 */
const CONFIG = {
  coordinators: {
    room: { channel: 'local' as const, id: 'coordinators' },
    members: [{ channel: 'local' as const, user: 'coord' }],
  },
  commissions: {
    DE: {
      room: { channel: 'local' as const, id: 'commission-DE' },
      endorsers: [{ channel: 'local' as const, user: 'endo-de' }],
    },
    KE: {
      room: { channel: 'local' as const, id: 'commission-KE' },
      endorsers: [{ channel: 'local' as const, user: 'endo-ke' }],
    },
  },
};

const ROLES = {
  applicant: 'ana',
  'endorser of another country': 'endo-ke',
  endorser: 'endo-de',
  coordinator: 'coord',
  stranger: 'zed',
} as const;
type Role = keyof typeof ROLES;

interface Cell {
  /** Who may. */
  allowed: Role[];
  /** What the audit log calls the attempt. */
  audit: string;
  act(w: World, user: string, id: string): Promise<Reply[]>;
  /** The effect, once allowed. */
  took(w: World, id: string, replies: Reply[]): Promise<boolean>;
}

const decision = (action: string, status: string): Cell => ({
  allowed: ['endorser'],
  audit: action,
  // Each presses in the room they would be in (the commission's room; others' presses arrive there too).
  act: (w, user, id) => w.core.assistant.handle(inRoom(user, 'commission-DE').press(action, id)),
  took: async (w, id) => {
    if (action === ENDORSE_ACTIONS.endorse)
      return ['endorsed', 'forwarded'].includes((await w.store.applications.get(id))!.status);
    return (await w.store.conversations.get('local:endo-de'))?.pending?.action === status;
  },
});

const command = (text: string, audit: string, took: Cell['took']): Cell => ({
  allowed: ['coordinator'],
  audit,
  act: (w, user) => w.core.assistant.handle(inRoom(user, 'room-x').say(text)),
  took,
});

const ACTIONS: Record<string, Cell> = {
  endorse: decision(ENDORSE_ACTIONS.endorse, 'endorse'),
  return: decision(ENDORSE_ACTIONS.return, 'return'),
  decline: decision(ENDORSE_ACTIONS.decline, 'decline'),
  'register commission': command(
    'register commission FR',
    'register_commission',
    async (w) => w.core.routing.snapshot().commissions.FR?.room?.id === 'room-x',
  ),
  'add endorser': command('add endorser DE newbie', 'add', async (w) =>
    w.core.routing.snapshot().commissions.DE!.endorsers.some((e) => e.user === 'newbie'),
  ),
  'remove endorser': command(
    'remove endorser DE endo-de',
    'remove',
    async (w) => !w.core.routing.snapshot().commissions.DE!.endorsers.length,
  ),
  export: command('export 2025', 'export', async (_w, _id, replies) => replies.some((r) => r.files?.length === 2)),
  status: command('status 2025', 'status', async (_w, _id, replies) =>
    replies.some((r) => r.text.startsWith('Applications in the 2025 call')),
  ),
};

describe('authorization matrix', () => {
  for (const [name, cell] of Object.entries(ACTIONS)) {
    for (const role of Object.keys(ROLES) as Role[]) {
      const allowed = cell.allowed.includes(role);
      it(`${name} by ${role}: ${allowed ? 'allowed' : 'refused and audited'}`, async () => {
        const w = world({ at: '2025-06-01T10:00:00Z', config: CONFIG });
        const id = await submitApplication(w.core, 'ana', 'Bonn', 'DE');
        const user = ROLES[role];
        const before = {
          app: await w.store.applications.get(id),
          routing: w.core.routing.snapshot(),
          audit: (await w.store.audit.list()).length,
        };
        const replies = await cell.act(w, user, id);
        const after = await w.store.audit.list();
        if (allowed) {
          expect(await cell.took(w, id, replies)).toBe(true);
          expect(after.slice(before.audit).some((e) => e.outcome !== 'done')).toBe(false);
          return;
        }
        expect(await cell.took(w, id, replies)).toBe(false);
        expect(await w.store.applications.get(id)).toEqual(before.app);
        expect(w.core.routing.snapshot()).toEqual(before.routing);
        const refusals = after.slice(before.audit);
        expect(refusals).toHaveLength(1);
        expect(refusals[0]).toMatchObject({ actor: { key: `local:${user}` }, action: cell.audit });
        expect(['not_an_endorser', 'not_a_coordinator']).toContain(refusals[0]!.outcome);
        // The person is told, in words (sent to their direct conversation, or here when there is none).
        const told = [...replies, ...w.messages.filter((m) => m.room === `dm:${user}`).map((m) => m.reply)];
        expect(told.some((r) => /not|only/i.test(r.text))).toBe(true);
      });
    }
  }

  it('"alerts": the schedule for coordinators only; anyone else gets their own alert settings', async () => {
    for (const role of Object.keys(ROLES) as Role[]) {
      const w = world({ at: '2025-06-01T10:00:00Z', config: CONFIG });
      const [reply] = await w.core.assistant.handle(inRoom(ROLES[role], 'room-x').say('alerts'));
      const plan = reply!.text.startsWith('Alerts scheduled for the next 30 days');
      expect(plan, role).toBe(role === 'coordinator');
      if (role !== 'coordinator') expect(reply!.text).toBe(w.core.i18n.t('en', 'alerts:settings_on'));
    }
  });
});
