package dev.tokenwise.audit.rules;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Period;
import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.CallShape;
import dev.tokenwise.store.FailedAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Crafted log rows for the model, cap, context and retries rule tests. */
final class RulesACalls {
  static final String PATTERN = "classify-ticket";
  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final AtomicInteger NEXT = new AtomicInteger();

  private String provider = "openai";
  private String model = "gpt-4o";
  private long input;
  private long cached;
  private long written;
  private long output;
  private Long cost;
  private int status = 200;
  private String finish = "stop";
  private int attempts = 1;
  private String cacheStatus = "miss";
  private long timeMs = START.toEpochMilli();
  private boolean shaped = true;
  private int turns = 1;
  private int maxTokens = -1;

  private RulesACalls() {}

  /** A call answered by openai/gpt-4o with no tokens, one turn, no cap. */
  static RulesACalls call() {
    return new RulesACalls();
  }

  RulesACalls on(String provider, String model) {
    this.provider = provider;
    this.model = model;
    return this;
  }

  RulesACalls tokens(long input, long output) {
    this.input = input;
    this.output = output;
    return this;
  }

  RulesACalls cached(long cached, long written) {
    this.cached = cached;
    this.written = written;
    return this;
  }

  RulesACalls cost(Long picoUsd) {
    this.cost = picoUsd;
    return this;
  }

  RulesACalls status(int status) {
    this.status = status;
    return this;
  }

  RulesACalls finish(String reason) {
    this.finish = reason;
    return this;
  }

  RulesACalls attempts(int attempts) {
    this.attempts = attempts;
    return this;
  }

  RulesACalls cacheHit() {
    this.cacheStatus = "hit-exact";
    return this;
  }

  RulesACalls at(long timeMs) {
    this.timeMs = timeMs;
    return this;
  }

  RulesACalls noShape() {
    this.shaped = false;
    return this;
  }

  RulesACalls turns(int turns) {
    this.turns = turns;
    return this;
  }

  RulesACalls maxTokens(int maxTokens) {
    this.maxTokens = maxTokens;
    return this;
  }

  CallRow row() {
    CallShape shape = shaped ? new CallShape(1, 2, 3, 3, 100, turns, maxTokens, 4, 0) : null;
    return new CallRow("r-" + NEXT.incrementAndGet(), timeMs, null, PATTERN, "openai-chat", provider, model, model, input, cached,
        written, output, cost, cost, 500, status, false, status < 400 ? finish : null, attempts, cacheStatus,
        shape);
  }

  /** {@code n} copies of this call. */
  List<CallRow> times(int n) {
    List<CallRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(row());
    }
    return rows;
  }

  /** The calls as one pattern read over {@code days} days from {@link #START}. */
  static PatternCalls pattern(double days, List<CallRow> rows) {
    Period period = new Period(START, START.plus(Duration.ofMillis(Math.round(days * 86_400_000L))));
    return new PatternCalls(PATTERN, period, rows);
  }

  /** The bundled prices with the given providers configured and no failed attempts. */
  static AuditContext context(String... providers) {
    return new AuditContext(PriceTable.bundled(), Set.of(providers), Map.of());
  }

  /** A failed attempt of the pattern. */
  static FailedAttempt failed(long timeMs, int status, String outcome, Long picoUsd) {
    return new FailedAttempt("r-" + NEXT.incrementAndGet(), timeMs, PATTERN, "openai", "gpt-4o", status, outcome, picoUsd);
  }

  @SafeVarargs
  static List<CallRow> all(List<CallRow>... parts) {
    List<CallRow> rows = new ArrayList<>();
    for (List<CallRow> p : parts) {
      rows.addAll(p);
    }
    return rows;
  }
}
