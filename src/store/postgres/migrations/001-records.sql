-- The records of the store, each kept whole as JSON (validated by the program's schemas on write and read, and
-- migrated on read by the record versions' steps, as in the embedded store), with the columns that find them.

CREATE TABLE conversations (
  key text PRIMARY KEY,
  record jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per application; `n` is its readable number within its call and country (GNLC-2025-DE-003: 3).
CREATE TABLE applications (
  id text PRIMARY KEY,
  cycle text NOT NULL,
  country text NOT NULL,
  n integer NOT NULL,
  record jsonb NOT NULL,
  UNIQUE (cycle, country, n)
);

CREATE TABLE addresses (
  key text PRIMARY KEY,
  record jsonb NOT NULL
);

-- Append-only: lines are added, never updated or deleted.
CREATE TABLE audit (
  seq bigserial PRIMARY KEY,
  entry jsonb NOT NULL
);

-- One row per alert key: the primary key is what makes a claim happen once across instances.
CREATE TABLE alerts (
  key text PRIMARY KEY,
  record jsonb NOT NULL
);

-- Ids of requests already handled (Slack event ids, Teams activity ids), until they expire.
CREATE TABLE seen (
  key text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX seen_expires ON seen (expires_at);
