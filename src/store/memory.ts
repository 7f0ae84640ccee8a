import {
  AddressSchema, ApplicationSchema, ConversationSchema, applicationId, type Address, type Application, type Conversation, type Store,
} from './types.ts';

/** A store in memory (gnlc ask, unit tests of the core); records are validated as in the embedded store. */
export function createMemoryStore(): Store {
  const conversations = new Map<string, Conversation>();
  const shards = new Map<string, Application[]>();
  const addresses = new Map<string, Address>();
  return {
    conversations: {
      get: async (key) => {
        const c = conversations.get(key);
        return c && structuredClone(c);
      },
      save: async (c) => {
        conversations.set(c.key, ConversationSchema.parse(structuredClone(c)));
      },
    },
    applications: {
      listByCountry: async (cycle, country) => structuredClone(shards.get(`${cycle}/${country}`) ?? []),
      get: async (id) => {
        for (const list of shards.values()) {
          const found = list.find((a) => a.id === id);
          if (found) return structuredClone(found);
        }
        return undefined;
      },
      add: async (cycle, country, make, duplicateOf) => {
        const list = shards.get(`${cycle}/${country}`) ?? [];
        const existing = list.find(duplicateOf);
        if (existing) return { application: structuredClone(existing), duplicate: true };
        const app = ApplicationSchema.parse(make(applicationId(cycle, country, list.length + 1)));
        shards.set(`${cycle}/${country}`, [...list, app]);
        return { application: structuredClone(app), duplicate: false };
      },
    },
    addresses: {
      get: async (key) => {
        const a = addresses.get(key);
        return a && structuredClone(a);
      },
      put: async (a) => {
        addresses.set(a.key, AddressSchema.parse(structuredClone(a)));
      },
    },
    close: async () => undefined,
  };
}
