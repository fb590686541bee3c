package dev.tokenwise.demo;

import dev.tokenwise.analytics.Cost;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the demo measured: the bill of each pattern in both months, summed from the request log.
 *
 * @param folder the demo's working folder, with its config file and request log
 * @param firstMonth the first month replayed
 * @param secondMonth the second month replayed
 * @param patterns the bill of each pattern, in the order of {@link DemoTraffic#TAGS}
 * @param total the bill of all patterns
 * @param firstWall how long the first month's replay took, in real time
 * @param secondWall how long the second month's replay took, in real time
 */
public record DemoResult(Path folder, DemoContext.Month firstMonth, DemoContext.Month secondMonth,
    List<Bill> patterns, Bill total, Duration firstWall, Duration secondWall) {

  public DemoResult {
    patterns = List.copyOf(patterns);
  }

  /** The bill of one pattern, or null when it made no call. */
  public Bill pattern(String tag) {
    return patterns.stream().filter(b -> b.pattern().equals(tag)).findFirst().orElse(null);
  }

  /**
   * One pattern's two months, as the request log has them.
   *
   * @param pattern the pattern (a tag), or "total"
   * @param firstCalls rows logged in the first month
   * @param firstPicoUsd their summed cost in picodollars
   * @param firstUnpriced rows of the first month whose cost is unknown (not in the sum)
   * @param secondCalls rows logged in the second month
   * @param secondPicoUsd their summed cost in picodollars
   * @param secondUnpriced rows of the second month whose cost is unknown
   */
  public record Bill(String pattern, long firstCalls, long firstPicoUsd, long firstUnpriced, long secondCalls,
      long secondPicoUsd, long secondUnpriced) {

    /** The first month's cost in USD, exact. */
    public BigDecimal firstUsd() {
      return Cost.toUsd(firstPicoUsd);
    }

    /** The second month's cost in USD, exact. */
    public BigDecimal secondUsd() {
      return Cost.toUsd(secondPicoUsd);
    }

    /** What the second month cost less than the first, in USD (negative when it cost more). */
    public BigDecimal savedUsd() {
      return Cost.toUsd(firstPicoUsd - secondPicoUsd);
    }
  }
}
