package dev.tokenwise.demo;

import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The bill of a period per pattern, summed from the request log. */
final class Bills {
  /** Rows are read an hour at a time: a month of them with their bodies would not fit in memory. */
  private static final Duration CHUNK = Duration.ofHours(1);

  /**
   * One pattern's rows in a period.
   *
   * @param calls rows logged
   * @param picoUsd their summed cost, rows of unknown cost left out
   * @param unpriced rows of unknown cost
   */
  record Sum(long calls, long picoUsd, long unpriced) {
    static final Sum ZERO = new Sum(0, 0, 0);

    Sum plus(RequestRecord row) {
      Long cost = row.costPicoUsd();
      return new Sum(calls + 1, cost == null ? picoUsd : Math.addExact(picoUsd, cost),
          cost == null ? unpriced + 1 : unpriced);
    }

    Sum plus(Sum other) {
      return new Sum(calls + other.calls, Math.addExact(picoUsd, other.picoUsd), unpriced + other.unpriced);
    }
  }

  private Bills() {}

  /** The sums per pattern of the rows whose time is in {@code [from, to)}. */
  static Map<String, Sum> of(LogStore store, Instant from, Instant to) {
    Map<String, Sum> out = new HashMap<>();
    for (Instant t = from; t.isBefore(to); t = t.plus(CHUNK)) {
      Instant until = t.plus(CHUNK).isAfter(to) ? to : t.plus(CHUNK);
      for (RequestRecord row : store.between(t, until)) {
        out.merge(String.valueOf(row.pattern()), Sum.ZERO.plus(row), Sum::plus);
      }
    }
    return out;
  }
}
