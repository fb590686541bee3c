-- The response cache's answers, kept so that a restart finds them again (see CachedAnswer).
-- Money is in picodollars (-1 = price unknown), time in epoch milliseconds, the flag as a BOOLEAN.
-- The embedding is the query's float vector, little-endian, 4 bytes a number.
CREATE TABLE response_cache (
  cache_key              TEXT    NOT NULL PRIMARY KEY,
  tenant                 TEXT    NOT NULL,
  pattern                TEXT    NOT NULL,
  dialect                TEXT    NOT NULL,
  scope                  TEXT,
  query                  TEXT,
  embedding              BYTEA,
  body                   BYTEA   NOT NULL,
  model                  TEXT,
  finish_reason          TEXT,
  input_tokens           BIGINT  NOT NULL,
  cached_input_tokens    BIGINT  NOT NULL,
  cache_write_5m_tokens  BIGINT  NOT NULL,
  cache_write_1h_tokens  BIGINT  NOT NULL,
  output_tokens          BIGINT  NOT NULL,
  reasoning_tokens       BIGINT  NOT NULL,
  usage_estimated        BOOLEAN NOT NULL,
  cost_pico_usd          BIGINT  NOT NULL,
  baseline_pico_usd      BIGINT  NOT NULL,
  created_ms             BIGINT  NOT NULL,
  expires_ms             BIGINT  NOT NULL
);

CREATE INDEX response_cache_pattern ON response_cache (pattern);

CREATE INDEX response_cache_expires ON response_cache (expires_ms);

CREATE INDEX response_cache_created ON response_cache (created_ms);
