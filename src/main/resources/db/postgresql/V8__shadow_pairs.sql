-- Shadow tests: one row per live call copied to a candidate model in the background (policy key shadow).
-- request_id is the production call's row in requests; pattern its call pattern. Money is in picodollars
-- (NULL = unknown): production_cost is what the client's call cost, candidate_cost what the copy cost,
-- scoring_cost what scoring the pair cost (a judge model's call; 0 otherwise), and spend what the pair
-- counted against the shadow's daily cap (the copy's cost, or its estimate when the cost came back
-- unknown, plus the scoring cost). The day of a pair is the UTC day of time_ms (epoch milliseconds).
-- The two answer texts are kept only with log.store_bodies; score (0..1), passed and note are NULL until
-- the pair is scored, and stay NULL when the copy failed (candidate_error set: an error status, or an
-- answer that could not be read).
CREATE TABLE shadow_pairs (
  id                        TEXT    NOT NULL PRIMARY KEY,
  time_ms                   BIGINT  NOT NULL,
  pattern                   TEXT    NOT NULL,
  request_id                TEXT    NOT NULL,
  production_model          TEXT,
  candidate_model           TEXT    NOT NULL,
  production_cost_pico_usd  BIGINT,
  candidate_cost_pico_usd   BIGINT,
  scoring_cost_pico_usd     BIGINT  NOT NULL,
  spend_pico_usd            BIGINT  NOT NULL,
  production_latency_ms     BIGINT  NOT NULL,
  candidate_latency_ms      BIGINT  NOT NULL,
  candidate_status          INTEGER NOT NULL,
  candidate_error           TEXT,
  production_text           TEXT,
  candidate_text            TEXT,
  score                     DOUBLE PRECISION,
  passed                    BOOLEAN,
  scorer                    TEXT,
  note                      TEXT
);

CREATE INDEX shadow_pairs_time ON shadow_pairs (time_ms);

CREATE INDEX shadow_pairs_pattern_time ON shadow_pairs (pattern, candidate_model, time_ms);
