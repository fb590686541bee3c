-- One row per upstream attempt of a call (see AttemptRecord): every try of its fallback chain, with its
-- status, how long it took and what it was billed. A call's cost is the sum of its attempts' costs plus
-- what a summary or an embedding it needed cost. Money in picodollars (NULL = unknown, never zero), time
-- in epoch milliseconds (the request's arrival, to read attempts by period).
CREATE TABLE request_attempts (
  request_id             TEXT    NOT NULL,
  attempt                INTEGER NOT NULL,
  time_ms                BIGINT  NOT NULL,
  provider               TEXT    NOT NULL,
  model                  TEXT    NOT NULL,
  status                 INTEGER NOT NULL,
  latency_ms             BIGINT  NOT NULL,
  outcome                TEXT    NOT NULL,
  error                  TEXT,
  cost_pico_usd          BIGINT,
  PRIMARY KEY (request_id, attempt)
);

CREATE INDEX request_attempts_time ON request_attempts (time_ms);

CREATE INDEX request_attempts_model_time ON request_attempts (provider, model, time_ms);
