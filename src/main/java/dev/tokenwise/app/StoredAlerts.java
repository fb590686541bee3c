package dev.tokenwise.app;

import dev.tokenwise.guard.Alert;
import dev.tokenwise.guard.AlertSink;
import dev.tokenwise.store.AlertRecord;
import dev.tokenwise.store.AlertTable;
import java.time.Instant;

/** The spend guard's alerts kept in the store's {@code alerts} table; called from the alert writer's thread. */
final class StoredAlerts implements AlertSink {
  private final AlertTable table;

  StoredAlerts(AlertTable table) {
    this.table = table;
  }

  @Override
  public void tripped(Alert a) {
    table.insert(new AlertRecord(a.id(), a.time(), a.kind(), a.scope(), a.period(), a.figurePicoUsd(),
        a.limitPicoUsd(), a.message(), null, null));
  }

  @Override
  public void cleared(String alertId, Instant at, String by) {
    table.clear(alertId, at, by);
  }
}
