-- The request log: one row per call through the gateway (see RequestRecord).
-- Money is in picodollars (NULL = price unknown, never zero), time in epoch milliseconds,
-- booleans as 0/1. Bodies are nulled by retention; the rows stay so the audit can trace its figures.
CREATE TABLE requests (
  id                     TEXT    NOT NULL PRIMARY KEY,
  time_ms                INTEGER NOT NULL,
  tenant                 TEXT,
  pattern                TEXT,
  dialect                TEXT,
  endpoint               TEXT,
  provider               TEXT,
  model_requested        TEXT,
  model_used             TEXT,
  input_tokens           INTEGER NOT NULL,
  cached_input_tokens    INTEGER NOT NULL,
  cache_write_5m_tokens  INTEGER NOT NULL,
  cache_write_1h_tokens  INTEGER NOT NULL,
  output_tokens          INTEGER NOT NULL,
  reasoning_tokens       INTEGER NOT NULL,
  usage_estimated        INTEGER NOT NULL,
  cost_pico_usd          INTEGER,
  baseline_pico_usd      INTEGER,
  ttfb_ms                INTEGER NOT NULL,
  total_ms               INTEGER NOT NULL,
  status                 INTEGER NOT NULL,
  stream                 INTEGER NOT NULL,
  finish_reason          TEXT,
  attempts               INTEGER NOT NULL,
  cache_status           TEXT,
  error                  TEXT,
  request_body           TEXT,
  response_body          TEXT
);

CREATE INDEX requests_time ON requests (time_ms);

CREATE INDEX requests_pattern_time ON requests (pattern, time_ms);

CREATE INDEX requests_tenant_time ON requests (tenant, time_ms);
