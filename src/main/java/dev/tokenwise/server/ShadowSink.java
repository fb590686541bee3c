package dev.tokenwise.server;

/**
 * What receives the shadow tests' copies once they came back: the composition root wires storage and
 * scoring behind it. Called on the copy's own virtual thread, never on a client's; it may take its time
 * (a judge model's call), within the bound on shadows in flight.
 */
@FunctionalInterface
public interface ShadowSink {

  /** Keeps and scores one copy. What it throws is logged and counted, never seen by a client. */
  void accept(ShadowCopy copy);
}
