package dev.tokenwise.demo;

import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.SpendGroup;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The bill of a period per pattern, summed from the request log by the database (no body is read). */
final class Bills {
  /**
   * One pattern's rows in a period.
   *
   * @param calls rows logged
   * @param picoUsd their summed cost, rows of unknown cost left out
   * @param unpriced rows of unknown cost
   */
  record Sum(long calls, long picoUsd, long unpriced) {
    static final Sum ZERO = new Sum(0, 0, 0);

    Sum plus(Sum other) {
      return new Sum(calls + other.calls, Math.addExact(picoUsd, other.picoUsd), unpriced + other.unpriced);
    }
  }

  private Bills() {}

  /** The sums per pattern of the rows whose time is in {@code [from, to)}. */
  static Map<String, Sum> of(LogStore store, Instant from, Instant to) {
    Map<String, Sum> out = new HashMap<>();
    for (SpendGroup g : store.spendGroups(from, to)) {
      out.merge(String.valueOf(g.pattern()), new Sum(g.calls(), g.spendPicoUsd(), g.unknownCost()), Sum::plus);
    }
    return out;
  }
}
