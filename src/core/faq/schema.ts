import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadData, DataFileError } from '../data-file.ts';
import { LANGS, type Lang } from '../lang.ts';
import { DATA_DIR } from '../../paths.ts';

/** The data folder shipped with the project. */
export { DATA_DIR };

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lowercase id such as "how-to-apply"');

/** A public page a fact rests on. */
export const SourceSchema = z.object({
  id,
  title: z.string().min(1),
  url: z.url(),
  note: z.string().optional(),
});

/** Language-independent part of a FAQ entry. */
export const EntrySchema = z.object({
  id,
  sources: z.array(id).min(1, 'every entry needs at least one source'),
  /** Entries whose answer is computed from the call data. */
  dynamic: z.enum(['deadline', 'commission-deadline']).optional(),
  related: z.array(id).default([]),
  /**
   * The entry this one narrows (the commission's deadline narrows the deadline): a text not clearly about this
   * one rather than the general one gets the general answer, which covers both.
   */
  general: id.optional(),
  /** The answer ends by offering to fill in the form here (form:offer_form), except to someone filling it in. */
  offersForm: z.boolean().default(false),
});

/** One language's wording of one entry. */
export const LocalizedEntrySchema = z.object({
  title: z.string().trim().min(1),
  questions: z.array(z.string().trim().min(3)).min(3, 'needs at least 3 question variants'),
  keywords: z.array(z.string().trim().min(1)).default([]),
  answer: z.string().trim().min(1),
});

export const ContactSchema = z.object({
  name: z.string().min(1),
  /** The street, postcode and city; the country is `country`, named in each language. */
  address: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
  email: z.email(),
  phone: z.string().min(5),
  web: z.url(),
  source: id,
});

export type Source = z.infer<typeof SourceSchema>;
export type Entry = z.infer<typeof EntrySchema>;
export type LocalizedEntry = z.infer<typeof LocalizedEntrySchema>;
export type Contact = z.infer<typeof ContactSchema>;

/** More ways people ask each entry (data/faq/phrasings/<lng>.json): what the n-gram classifier learns from. */
const PhrasingsSchema = z.record(z.string(), z.array(z.string().trim().min(2)).min(1));

/** Questions about the GNLC that the sources do not answer (data/not-in-sources.json), by topic and language. */
export const NotInSourcesSchema = z.object({
  topics: z
    .array(
      z.object({
        id,
        questions: z.object(Object.fromEntries(LANGS.map((l) => [l, z.array(z.string().trim().min(2)).min(1)]))),
        /** What the topic is about, as a clause of common:not_in_sources_topic ("when the results are announced"). */
        says: z.object(Object.fromEntries(LANGS.map((l) => [l, z.string().trim().min(3)]))).optional(),
      }),
    )
    .min(1),
});

export type NotInSourcesTopic = { id: string; questions: Record<Lang, string[]>; says?: Record<Lang, string> };

/** Ways people ask to start their application now (data/requests.json), per language. */
export const RequestsSchema = z.object(
  Object.fromEntries(LANGS.map((l) => [l, z.array(z.string().trim().min(2)).min(1)])),
);

/** Ways people ask where their own application stands (data/status.json), per language: the status command. */
export const StatusSchema = RequestsSchema;

/** Messages that are not about joining the GNLC (data/off-topic.json), per language: the classifier's "no". */
export const OffTopicSchema = RequestsSchema;

/** The whole FAQ: entries, their wording per language, the sources and the contact. */
export interface Faq {
  entries: Entry[];
  text: Record<Lang, Record<string, LocalizedEntry>>;
  /** More phrasings of each entry's question, per language (none for a language without the file). */
  phrasings: Record<Lang, Record<string, string[]>>;
  /** What people ask that the sources do not say (none when the file is absent). */
  notInSources: NotInSourcesTopic[];
  /** Requests to start an application now, per language (none when the file is absent). */
  requests: Partial<Record<Lang, string[]>>;
  /** Messages about something else (weather, taxes, other UNESCO programmes), per language (none without the file). */
  offTopic: Partial<Record<Lang, string[]>>;
  /** Questions about where one's own application stands, per language (none when the file is absent). */
  status: Partial<Record<Lang, string[]>>;
  sources: Map<string, Source>;
  contact: Contact;
}

/** Loads and cross-checks data/faq/*.json, data/sources.json and data/contact.json. */
export function loadFaq(dataDir: string = DATA_DIR): Faq {
  const file = (...p: string[]) => path.join(dataDir, ...p);
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  const sources = loadData(file('sources.json'), z.object({ sources: z.array(SourceSchema).min(1) })).sources;
  const sourceIds = new Map(sources.map((s) => [s.id, s]));
  const contact = loadData(file('contact.json'), ContactSchema);
  const entriesFile = file('faq', 'entries.json');
  const entries = loadData(entriesFile, z.object({ entries: z.array(EntrySchema).min(1) })).entries;
  const ids = new Set<string>();
  for (const e of entries) {
    if (ids.has(e.id)) throw new DataFileError(shown(entriesFile), e.id, 'id', 'duplicate id');
    ids.add(e.id);
  }
  for (const e of entries) {
    for (const s of e.sources) {
      if (!sourceIds.has(s))
        throw new DataFileError(shown(entriesFile), e.id, 'sources', `unknown source "${s}" (not in sources.json)`);
    }
    for (const r of e.related) {
      if (!ids.has(r)) throw new DataFileError(shown(entriesFile), e.id, 'related', `unknown entry "${r}"`);
    }
    if (e.general !== undefined && (!ids.has(e.general) || e.general === e.id))
      throw new DataFileError(shown(entriesFile), e.id, 'general', `unknown entry "${e.general}"`);
  }
  const text = {} as Record<Lang, Record<string, LocalizedEntry>>;
  for (const lang of LANGS) {
    const f = file('faq', `${lang}.json`);
    const loaded = loadData(f, z.record(z.string(), LocalizedEntrySchema));
    for (const e of entries) {
      if (!loaded[e.id])
        throw new DataFileError(
          shown(f),
          e.id,
          undefined,
          `missing: every entry of entries.json needs a ${lang} wording`,
        );
    }
    for (const key of Object.keys(loaded)) {
      if (!ids.has(key)) throw new DataFileError(shown(f), key, undefined, 'not an entry of entries.json');
    }
    text[lang] = loaded;
  }
  const phrasings = {} as Record<Lang, Record<string, string[]>>;
  for (const lang of LANGS) {
    const f = file('faq', 'phrasings', `${lang}.json`);
    phrasings[lang] = existsSync(f) ? loadData(f, PhrasingsSchema) : {};
    for (const key of Object.keys(phrasings[lang])) {
      if (!ids.has(key)) throw new DataFileError(shown(f), key, undefined, 'not an entry of entries.json');
    }
  }
  const unknownFile = file('not-in-sources.json');
  const notInSources = existsSync(unknownFile)
    ? (loadData(unknownFile, NotInSourcesSchema).topics as NotInSourcesTopic[])
    : [];
  const requestsFile = file('requests.json');
  const requests = existsSync(requestsFile) ? (loadData(requestsFile, RequestsSchema) as Record<Lang, string[]>) : {};
  const offTopicFile = file('off-topic.json');
  const offTopic = existsSync(offTopicFile) ? (loadData(offTopicFile, OffTopicSchema) as Record<Lang, string[]>) : {};
  const statusFile = file('status.json');
  const status = existsSync(statusFile) ? (loadData(statusFile, StatusSchema) as Record<Lang, string[]>) : {};
  return { entries, text, phrasings, notInSources, requests, offTopic, status, sources: sourceIds, contact };
}
