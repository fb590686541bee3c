-- The spend guard's alerts: one row when a cap or the anomaly guard trips, completed when it clears.
-- kind: tenant_cap, pattern_cap or anomaly; scope: the tenant or the pattern; period: the window the
-- figure was taken over (1h, 24h, or the anomaly window). Money is in picodollars: for a cap, what was
-- spent and the cap; for the anomaly guard, what the window spent and what the baseline allows a window.
-- Time in epoch milliseconds; cleared_by is 'window' (the spend fell back) or 'admin', NULL while tripped.
CREATE TABLE alerts (
  id               TEXT    NOT NULL PRIMARY KEY,
  time_ms          BIGINT  NOT NULL,
  kind             TEXT    NOT NULL,
  scope            TEXT    NOT NULL,
  period           TEXT    NOT NULL,
  figure_pico_usd  BIGINT  NOT NULL,
  limit_pico_usd   BIGINT  NOT NULL,
  message          TEXT    NOT NULL,
  cleared_ms       BIGINT,
  cleared_by       TEXT
);

CREATE INDEX alerts_time ON alerts (time_ms);
