package dev.tokenwise.policy;

/** One step of the request path with one job; it may change only the fields it owns. */
interface Stage {

  /** The name used in traces. */
  String name();

  /** Runs before the provider is called. */
  void before(Exchange exchange);
}
