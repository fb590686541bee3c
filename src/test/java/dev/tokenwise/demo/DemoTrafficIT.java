package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.store.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's two months run through a real gateway and simulator, and the bill is the log's. */
class DemoTrafficIT {
  private static final double SCALE = 0.02;

  @TempDir Path dir;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private DemoRunner.Options options() {
    return DemoRunner.Options.defaults(new PrintStream(printed, true, StandardCharsets.UTF_8))
        .folder(dir.resolve("demo")).scale(SCALE);
  }

  /** Runs a check, printing what the demo printed when it fails. */
  private void explain(Runnable check) {
    try {
      check.run();
    } catch (AssertionError | RuntimeException e) {
      System.out.println(printed.toString(StandardCharsets.UTF_8));
      throw e;
    }
  }

  /** Rows per pattern and their summed known cost, straight from the log. */
  private static Map<String, long[]> rows(List<RequestRecord> rows) {
    Map<String, long[]> out = new HashMap<>();
    for (RequestRecord r : rows) {
      long[] sum = out.computeIfAbsent(r.pattern(), k -> new long[2]);
      sum[0]++;
      sum[1] += r.costPicoUsd() == null ? 0 : r.costPicoUsd();
    }
    return out;
  }

  @Test
  void both_months_land_in_the_log_and_the_bill_is_the_logs_sum() {
    List<Map<String, long[]>> seen = new ArrayList<>();
    DemoSteps look = new DemoSteps() {
      @Override
      public void afterFirstMonth(DemoContext ctx) {
        assertEquals(ctx.secondMonth().start(), ctx.clock().instant(), "the audit runs at the month's end");
        List<RequestRecord> rows = ctx.store().between(ctx.firstMonth().start(), ctx.firstMonth().end());
        seen.add(rows(rows));
        for (RequestRecord r : rows) {
          if (r.pattern().equals(DemoTraffic.NIGHTLY)) {
            LocalTime t = r.time().atZone(ZoneOffset.UTC).toLocalTime();
            assertTrue(!t.isBefore(LocalTime.of(2, 0)) && t.isBefore(LocalTime.of(2, 30).plus(Replay.MAX_SKEW)),
                "logged in the night's burst: " + t);
          }
        }
      }

      @Override
      public void afterSecondMonth(DemoContext ctx) {
        assertEquals(ctx.secondMonth().end(), ctx.clock().instant());
        seen.add(rows(ctx.store().between(ctx.secondMonth().start(), ctx.secondMonth().end())));
      }
    };
    DemoResult result = run(options(), look);
    explain(() -> {
      DemoTraffic traffic = DemoTraffic.month(42, DemoRunner.DEFAULT_START, SCALE);
      assertEquals(2, seen.size());
      for (Map<String, long[]> month : seen) {
        assertEquals(DemoTraffic.TAGS.stream().sorted().toList(), month.keySet().stream().sorted().toList());
        traffic.callsPerTag().forEach((tag, n) -> assertEquals(n.longValue(), month.get(tag)[0], "rows of " + tag));
      }
      long total = 0;
      for (String tag : DemoTraffic.TAGS) {
        DemoResult.Bill bill = result.pattern(tag);
        assertEquals(seen.get(0).get(tag)[1], bill.firstPicoUsd(), "month 1 of " + tag);
        assertEquals(seen.get(0).get(tag)[0], bill.firstCalls());
        assertEquals(seen.get(1).get(tag)[1], bill.secondPicoUsd(), "month 2 of " + tag);
        assertTrue(bill.firstPicoUsd() > 0, tag + " was priced");
        assertEquals(0, bill.firstUnpriced());
        total += bill.firstPicoUsd();
      }
      assertEquals(total, result.total().firstPicoUsd());
      assertEquals(DemoRunner.DEFAULT_START, result.firstMonth().start());
      assertTrue(Files.exists(result.folder().resolve("tokenwise.yaml")));
      assertTrue(Files.exists(result.folder().resolve("tokenwise.db")));
      String out = printed.toString(StandardCharsets.UTF_8);
      assertTrue(out.contains("month 1 [########################]"), out);
      assertTrue(out.contains("measured bill"), out);
    });
  }

  @Test
  void a_config_changed_after_the_first_month_is_in_force_for_the_whole_second() {
    DemoSteps route = new DemoSteps() {
      @Override
      public void afterFirstMonth(DemoContext ctx) {
        try {
          String yaml = Files.readString(ctx.configFile());
          Files.writeString(ctx.configFile(), yaml.replace("policies: []", """
              policies:
                - match: { tag: classify-ticket }
                  route: { model: gpt-4o-mini }
              """));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void afterSecondMonth(DemoContext ctx) {
        for (RequestRecord r : ctx.store().between(ctx.secondMonth().start(), ctx.secondMonth().end())) {
          if (r.pattern().equals(DemoTraffic.CLASSIFY)) {
            assertTrue(r.modelUsed().startsWith("gpt-4o-mini"), "routed from the first call: " + r.modelUsed());
          }
        }
      }
    };
    DemoResult result = run(options().seed(7), route);
    explain(() -> {
      DemoResult.Bill classify = result.pattern(DemoTraffic.CLASSIFY);
      assertEquals(classify.firstCalls(), classify.secondCalls());
      assertTrue(classify.secondPicoUsd() * 10 < classify.firstPicoUsd(), "gpt-4o-mini costs a fraction: " + classify);
      for (String tag : List.of(DemoTraffic.EXTRACT, DemoTraffic.FAQ)) {
        DemoResult.Bill other = result.pattern(tag);
        assertEquals(other.firstPicoUsd(), other.secondPicoUsd(), "the same calls, the same bill: " + other);
      }
    });
  }

  /** Runs the demo, printing what it printed when it fails. */
  private DemoResult run(DemoRunner.Options options, DemoSteps steps) {
    List<DemoResult> out = new ArrayList<>();
    explain(() -> out.add(DemoRunner.run(options, steps)));
    return out.getFirst();
  }
}
