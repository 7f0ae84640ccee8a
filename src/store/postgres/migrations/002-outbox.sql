-- Messages decided in a turn for someone else (an applicant told of a decision), kept until delivered.
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  record jsonb NOT NULL,
  state text NOT NULL,
  next_at timestamptz NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';
