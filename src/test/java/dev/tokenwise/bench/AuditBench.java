package dev.tokenwise.bench;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.audit.Audit;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.AuditReport;
import dev.tokenwise.audit.rules.AuditRules;
import dev.tokenwise.audit.JsonReport;
import dev.tokenwise.audit.MarkdownReport;
import dev.tokenwise.audit.Period;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.AttemptRecord;
import dev.tokenwise.store.CallShape;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.store.RequestRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How long the audit takes over a large log: generates ROWS calls over the audited 30 days (and a quarter
 * as many over the 30 days before, for the comparison) into a fresh store, then times the audit with
 * every rule and the two report writers. Run by {@code bench/audit.sh}; args: {@code STORE_URL ROWS}.
 */
public final class AuditBench {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Period PERIOD = new Period(NOW.minus(Duration.ofDays(30)), NOW);

  /** A pattern the generator writes: its model, sizes, how often it repeats, streams, runs away. */
  private record Shape(String name, String provider, String model, int input, int output, int cap, double repeats,
      boolean stream, int turns, double runaway, int weight) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape("classify-ticket", "openai", "gpt-4o", 800, 8, 4096, 0.05, false, 1, 0.0, 30),
      new Shape("support-chat", "openai", "gpt-4o", 2600, 180, -1, 0.0, true, 12, 0.0, 20),
      new Shape("faq-bot", "openai", "gpt-4o-mini", 300, 90, 512, 0.38, true, 1, 0.0, 15),
      new Shape("extract-invoice", "openai", "gpt-4o-mini", 1500, 120, 2048, 0.0, false, 1, 0.04, 15),
      new Shape("nightly-summary", "anthropic", "claude-haiku-4-5", 4000, 220, 1024, 0.0, false, 1, 0.0, 8),
      new Shape("rag-answer", "anthropic", "claude-sonnet-4-5", 5200, 250, 1024, 0.02, false, 1, 0.0, 12));

  private AuditBench() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "sqlite:" + Files.createTempDirectory("audit-bench").resolve("log.db");
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    PriceTable prices = PriceTable.bundled();
    try (LogStore store = LogStores.open(url)) {
      long t0 = System.nanoTime();
      long written = generate(store, prices, PERIOD, rows, 1) + generate(store, prices, PERIOD.previous(), rows / 4, 2);
      double genS = (System.nanoTime() - t0) / 1e9;
      System.out.printf("generated %,d rows (%,d in the audited 30 days) in %.1f s%n", written, rows, genS);

      Audit audit = new Audit(store, new AuditContext(prices, Set.of("openai", "anthropic"), Map.of()),
          AuditRules.all(), (rec, calls) -> false);
      List<Double> runs = new ArrayList<>();
      AuditReport report = null;
      for (int i = 0; i < 3; i++) {
        System.gc();
        long s = System.nanoTime();
        report = audit.run(PERIOD, NOW);
        runs.add((System.nanoTime() - s) / 1e9);
      }
      long s = System.nanoTime();
      int md = MarkdownReport.write(report).length();
      int json = JsonReport.write(report).length();
      double renderMs = (System.nanoTime() - s) / 1e6;
      Runtime rt = Runtime.getRuntime();
      System.out.printf("audit of %,d + %,d rows: %.2f s, %.2f s, %.2f s (three runs); %,d findings on %d patterns%n",
          report.current().calls(), report.before().calls(), runs.get(0), runs.get(1), runs.get(2),
          report.findings().size(), report.top().size());
      System.out.printf("writing markdown (%,d chars) and JSON (%,d chars): %.1f ms%n", md, json, renderMs);
      System.out.printf("heap in use after: %,d MB (max %,d MB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
          rt.maxMemory() >> 20);
    }
  }

  /** Writes {@code n} calls spread over the period; returns how many. */
  static long generate(LogStore store, PriceTable prices, Period period, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int totalWeight = SHAPES.stream().mapToInt(Shape::weight).sum();
    long span = period.length().toMillis();
    List<RequestRecord> batch = new ArrayList<>(10_000);
    long[] recentRequest = new long[64];
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(totalWeight);
      Shape sh = SHAPES.get(0);
      for (Shape candidate : SHAPES) {
        pick -= candidate.weight();
        if (pick < 0) {
          sh = candidate;
          break;
        }
      }
      long time = period.from().toEpochMilli() + (long) i * span / n;
      if (sh.name().equals("nightly-summary")) {
        long day = Math.floorDiv(time, 86_400_000L) * 86_400_000L;
        time = day + 2 * 3_600_000L + random.nextInt(1_800_000);
      }
      int turns = sh.turns() > 1 ? 1 + random.nextInt(sh.turns()) : 1;
      long input = sh.input() + (turns - 1) * 350L + random.nextInt(sh.input() / 5 + 1);
      boolean runaway = random.nextDouble() < sh.runaway();
      long output = runaway ? sh.cap() : Math.max(1, sh.output() / 2 + random.nextInt(sh.output() + 1));
      boolean repeat = random.nextDouble() < sh.repeats();
      long requestHash = repeat ? recentRequest[random.nextInt(recentRequest.length)] : random.nextLong();
      if (!repeat) {
        recentRequest[random.nextInt(recentRequest.length)] = requestHash;
      }
      long prefix = sh.name().equals("support-chat") ? random.nextLong() : sh.name().hashCode();
      CallShape shape = new CallShape(requestHash == 0 ? 1 : requestHash, random.nextLong(), prefix,
          sh.name().hashCode(), sh.input() / 2, turns, sh.cap(), requestHash * 31 + 7, CallShape.REPEATABLE);
      Usage usage = new Usage(input, 0, 0, 0, output, 0, false);
      Long cost = prices.picoUsd(sh.provider(), sh.model(), usage, Tier.STANDARD).orElse(null);
      boolean failedFirst = random.nextInt(200) == 0;
      List<AttemptRecord> attempts = failedFirst
          ? List.of(new AttemptRecord(1, sh.provider(), sh.model(), 503, 40, "failed", "503", null),
              new AttemptRecord(2, sh.provider(), sh.model(), 200, 900, "ok", null, cost))
          : List.of(new AttemptRecord(1, sh.provider(), sh.model(), 200, 900, "ok", null, cost));
      batch.add(new RequestRecord("bench-" + seed + "-" + i, Instant.ofEpochMilli(time), "tenant-" + random.nextInt(8),
          sh.name(), sh.provider().equals("anthropic") ? "anthropic-messages" : "openai-chat",
          sh.provider().equals("anthropic") ? "/v1/messages" : "/v1/chat/completions", sh.provider(), sh.model(),
          sh.model(), input, 0, 0, 0, output, 0, false, cost, cost, 120, 900, 200, sh.stream(),
          runaway ? "length" : "stop", attempts.size(), "miss", null, null, null, null, attempts, shape));
      if (batch.size() == 10_000) {
        store.insert(batch);
        batch.clear();
      }
    }
    store.insert(batch);
    return n;
  }
}
