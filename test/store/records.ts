import { readFileSync } from 'node:fs';
import {
  APPLICATION_VERSION,
  CONVERSATION_VERSION,
  type ApplicationInput,
  type Conversation,
} from '../../src/core/records.ts';

const ANSWERS = JSON.parse(readFileSync(new URL('../fixtures/complete-answers.json', import.meta.url), 'utf8'));

/** A French-speaking person's conversation with a draft at its second question (the city's name given). */
export const conversationRecord = (key: string, city = 'Lyon'): Conversation => ({
  version: CONVERSATION_VERSION,
  key,
  lang: { last: 'fr' },
  applications: [],
  updatedAt: '2025-06-01T10:00:00.000Z',
  intake: {
    mode: 'filling',
    field: 'city.country',
    answers: { 'city.name': city },
    skipped: [],
    history: ['city.name'],
    returnToReview: false,
    startedAt: '2025-06-01T10:00:00.000Z',
  },
});

/** An application of a city, as the form would submit it, under the id the store gives it. */
export const applicationRecord =
  (city: string, country = 'FR') =>
  (id: string): ApplicationInput => ({
    version: APPLICATION_VERSION,
    id,
    cycle: '2025',
    country,
    cityKey: city,
    status: 'submitted',
    applicant: { key: `local:${city}`, platform: 'local', userId: city, room: `dm:${city}` },
    lang: 'fr',
    answers: ANSWERS,
    pledgeDate: '2025-06-01',
    mayorEndorsementConfirmed: true,
    submittedAt: '2025-06-01T10:00:00.000Z',
    history: [],
  });
