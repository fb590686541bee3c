-- Model-eval sweeps. A run replays the items of one pattern's eval set on candidate models and scores
-- the answers; each answer is written as soon as it comes, so that an interrupted run resumes without
-- paying twice. Money in picodollars, time in epoch milliseconds.
-- status: running, done, interrupted, stopped (the budget ran out), failed.
-- spec: the sweep's settings as JSON (candidates, scorer, threshold, sample, budget, the set's source).
-- summary: the figures and the verdict as JSON, written when the run ends (recomputable from the rows).
CREATE TABLE eval_runs (
  id              TEXT    NOT NULL PRIMARY KEY,
  pattern         TEXT    NOT NULL,
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL,
  status          TEXT    NOT NULL,
  current_model   TEXT    NOT NULL,
  spec            TEXT    NOT NULL,
  estimate_pico   INTEGER NOT NULL,
  budget_pico     INTEGER NOT NULL,
  summary         TEXT
);

CREATE INDEX eval_runs_pattern ON eval_runs (pattern, created_ms);

-- The set: the request as the client sent it (or built from a set file), the input as text, the
-- reference answer (the production model's, or the file's expected output) and a rubric.
CREATE TABLE eval_items (
  run_id          TEXT    NOT NULL,
  item_no         INTEGER NOT NULL,
  source          TEXT    NOT NULL,
  time_ms         INTEGER NOT NULL,
  dialect         TEXT    NOT NULL,
  request_body    TEXT    NOT NULL,
  input_text      TEXT    NOT NULL,
  reference       TEXT,
  rubric          TEXT,
  ref_input_tokens  INTEGER NOT NULL,
  ref_output_tokens INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_no)
);

-- One candidate's answer to one item, with what it cost, how long it took and its score.
-- status: the HTTP status (0: no answer came); score and pass are NULL when the call failed.
CREATE TABLE eval_results (
  run_id          TEXT    NOT NULL,
  item_no         INTEGER NOT NULL,
  model           TEXT    NOT NULL,
  time_ms         INTEGER NOT NULL,
  status          INTEGER NOT NULL,
  answer          TEXT,
  cost_pico       INTEGER,
  latency_ms      INTEGER NOT NULL,
  input_tokens    INTEGER NOT NULL,
  output_tokens   INTEGER NOT NULL,
  score           REAL,
  pass            INTEGER,
  note            TEXT,
  detail          TEXT,
  judge_cost_pico INTEGER NOT NULL,
  PRIMARY KEY (run_id, item_no, model)
);
