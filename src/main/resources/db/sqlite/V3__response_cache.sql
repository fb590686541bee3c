-- The response cache's answers, kept so that a restart finds them again (see CachedAnswer).
-- Money is in picodollars (-1 = price unknown), time in epoch milliseconds, booleans as 0/1.
-- The embedding is the query's float vector, little-endian, 4 bytes a number.
CREATE TABLE response_cache (
  cache_key              TEXT    NOT NULL PRIMARY KEY,
  tenant                 TEXT    NOT NULL,
  pattern                TEXT    NOT NULL,
  dialect                TEXT    NOT NULL,
  scope                  TEXT,
  query                  TEXT,
  embedding              BLOB,
  body                   BLOB    NOT NULL,
  model                  TEXT,
  finish_reason          TEXT,
  input_tokens           INTEGER NOT NULL,
  cached_input_tokens    INTEGER NOT NULL,
  cache_write_5m_tokens  INTEGER NOT NULL,
  cache_write_1h_tokens  INTEGER NOT NULL,
  output_tokens          INTEGER NOT NULL,
  reasoning_tokens       INTEGER NOT NULL,
  usage_estimated        INTEGER NOT NULL,
  cost_pico_usd          INTEGER NOT NULL,
  baseline_pico_usd      INTEGER NOT NULL,
  created_ms             INTEGER NOT NULL,
  expires_ms             INTEGER NOT NULL
);

CREATE INDEX response_cache_pattern ON response_cache (pattern);

CREATE INDEX response_cache_expires ON response_cache (expires_ms);

CREATE INDEX response_cache_created ON response_cache (created_ms);
