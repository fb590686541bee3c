package dev.tokenwise.guard;

import java.time.Instant;

/** Where trips and clears go, once each; called off the request path by {@link AsyncAlerts}. */
public interface AlertSink {

  /** A guard tripped. */
  void tripped(Alert alert);

  /**
   * A tripped guard cleared.
   *
   * @param by {@code window} when the spend fell back, {@code admin} when an administrator cleared it
   */
  void cleared(String alertId, Instant at, String by);

  /** A sink that keeps nothing. */
  AlertSink NONE = new AlertSink() {
    @Override
    public void tripped(Alert alert) {}

    @Override
    public void cleared(String alertId, Instant at, String by) {}
  };
}
