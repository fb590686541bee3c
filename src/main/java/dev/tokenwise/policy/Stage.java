package dev.tokenwise.policy;

/** One step of the request path with one job; it may change only the fields it owns. */
interface Stage {

  /** The name used in traces. */
  String name();

  /** Runs before the provider is called. */
  void before(Exchange exchange);

  /** Runs once the call is over, in reverse order, for each stage whose {@code before} ran. */
  default void after(Exchange exchange, Outcome outcome) {}
}
