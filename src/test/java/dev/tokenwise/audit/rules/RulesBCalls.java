package dev.tokenwise.audit.rules;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Period;
import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.CallShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Crafted log rows for the cache, prompt-cache and batch rule tests: one builder, sensible defaults. */
final class RulesBCalls {
  /** Midnight UTC, the start of every crafted period. */
  static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
  static final long DAY_MS = 86_400_000L;
  static final long PICO_PER_USD = 1_000_000_000_000L;

  private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

  private RulesBCalls() {}

  /** A call at {@code ms} after {@link #T0}: 200, finish stop, openai gpt-4o, tenant t, pattern p. */
  static Call at(long ms) {
    return new Call(ms);
  }

  /** The calls as one pattern's calls over {@code days} days from {@link #T0}. */
  static PatternCalls pattern(String name, long days, List<CallRow> rows) {
    return new PatternCalls(name, new Period(T0, T0.plus(Duration.ofDays(days))), rows);
  }

  static AuditContext context() {
    return new AuditContext(PriceTable.bundled(), Set.of("openai", "anthropic"), Map.of());
  }

  static final class Call {
    private final long ms;
    private String id;
    private String tenant = "t";
    private String pattern = "p";
    private String dialect = "openai-chat";
    private String provider = "openai";
    private String model = "gpt-4o";
    private long input = 100;
    private long cached;
    private long written;
    private long output = 10;
    private Long cost = 1_000_000_000L;
    private int status = 200;
    private boolean stream;
    private String finish = "stop";
    private String cacheStatus = "miss";
    private boolean shaped = true;
    private long requestHash;
    private long queryHash;
    private long prefixHash;
    private long prefixMaskedHash;
    private int prefixTokens;
    private int turns = 1;
    private long answerHash = 1;
    private int flags;

    private Call(long ms) {
      this.ms = ms;
      long n = IDS.incrementAndGet();
      this.id = "r" + n;
      this.requestHash = 1L << 40 | n; // apart from the small hashes the tests give on purpose
      this.queryHash = 2L << 40 | n;
    }

    Call id(String v) { id = v; return this; }
    Call tenant(String v) { tenant = v; return this; }
    Call pattern(String v) { pattern = v; return this; }
    Call dialect(String v) { dialect = v; return this; }
    Call on(String p, String m) { provider = p; model = m; return this; }
    Call tokens(long in, long out) { input = in; output = out; return this; }
    Call cachedTokens(long read, long write) { cached = read; written = write; return this; }
    Call cost(Long pico) { cost = pico; return this; }
    Call status(int v) { status = v; return this; }
    Call streamed() { stream = true; return this; }
    Call finish(String v) { finish = v; return this; }
    Call cacheStatus(String v) { cacheStatus = v; return this; }
    Call noShape() { shaped = false; return this; }
    Call request(long h) { requestHash = h; return this; }
    Call query(long h) { queryHash = h; return this; }
    Call prefix(long hash, long masked, int tokens) { prefixHash = hash; prefixMaskedHash = masked; prefixTokens = tokens; return this; }
    Call turns(int v) { turns = v; return this; }
    Call answer(long h) { answerHash = h; return this; }
    Call repeatable() { flags |= CallShape.REPEATABLE; return this; }

    CallRow row() {
      CallShape shape = shaped ? new CallShape(requestHash, queryHash, prefixHash, prefixMaskedHash, prefixTokens,
          turns, -1, answerHash, flags) : null;
      return new CallRow(id, RulesBCalls.T0.toEpochMilli() + ms, tenant, pattern, dialect, provider, model, model,
          input, cached, written, output, cost, cost, 1000, status, stream, finish, 1, cacheStatus, shape);
    }
  }
}
