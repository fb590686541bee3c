package dev.tokenwise.demo;

import dev.tokenwise.store.LogStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * What the demo's steps work with.
 *
 * @param folder the demo's working folder
 * @param configFile the gateway's config file, which the gateway reloads when it changes
 * @param store the request log the gateway writes
 * @param clock the simulated time the gateway and the simulator follow
 * @param gatewayUrl the gateway's base URL ({@code http://127.0.0.1:PORT}), for its admin API
 * @param firstMonth the first month replayed
 * @param secondMonth the second month replayed
 * @param out where the demo prints
 */
public record DemoContext(Path folder, Path configFile, LogStore store, Clock clock, String gatewayUrl,
    Month firstMonth, Month secondMonth, PrintStream out) {

  /**
   * A month of simulated time.
   *
   * @param start its first instant
   * @param end the instant after its last
   */
  public record Month(Instant start, Instant end) {

    /** Whether {@code t} falls in this month. */
    public boolean contains(Instant t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }
}
