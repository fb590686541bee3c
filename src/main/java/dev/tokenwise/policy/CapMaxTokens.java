package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies the {@code max_tokens} tactic: the provider never gets a larger output cap than the policy's,
 * while a client's own smaller value stands. {@code cap: auto} is twice the observed 99th percentile of
 * the pattern's output tokens, once {@value #MIN_OBSERVED} successful calls were seen.
 *
 * <p>Design note: the after-hook feeds each pattern's {@link OutputSketch}, a fixed-size histogram, and
 * refreshes the pattern's p99 only every {@value #REFRESH_EVERY} calls, so the before-hook reads one
 * volatile value. When more than 1 % of a pattern's capped calls stop at the cap (judged over windows of
 * at least {@value #MIN_WINDOW} capped calls), its auto multiplier doubles, up to {@value #MAX_MULTIPLIER}.
 * At most {@value #MAX_PATTERNS} patterns are tracked; later ones get no auto cap.
 */
public final class CapMaxTokens implements Stage {
  static final int MIN_OBSERVED = 200;
  static final int REFRESH_EVERY = 16;
  static final int MIN_WINDOW = 100;
  static final int MAX_WINDOW = 1000;
  static final int BASE_MULTIPLIER = 2;
  static final int MAX_MULTIPLIER = 16;
  static final int MAX_PATTERNS = 4096;

  private final ConcurrentHashMap<String, PatternStats> patterns = new ConcurrentHashMap<>();

  CapMaxTokens() {}

  @Override
  public String name() {
    return "max_tokens";
  }

  @Override
  public void before(Exchange ex) {
    Policy policy = ex.policy();
    Object setting = setting(policy);
    if (setting == null) {
      return;
    }
    long cap;
    String why;
    if ("auto".equals(setting)) {
      PatternStats stats = tracked(ex.pattern());
      if (stats == null) {
        ex.record(new Decision(name(), "max_tokens auto: " + MAX_PATTERNS
            + " patterns already tracked, no cap for this one"));
        return;
      }
      long observed = stats.observed.get();
      if (observed < MIN_OBSERVED || stats.p99 < 0) {
        ex.record(new Decision(name(), "max_tokens auto: " + observed + " of " + MIN_OBSERVED
            + " calls observed, no cap yet"));
        return;
      }
      int multiplier = stats.multiplier;
      cap = Math.max(1, stats.p99 * multiplier);
      why = ", auto: " + multiplier + " x p99 " + stats.p99;
    } else if (setting instanceof Long fixed) {
      cap = fixed;
      why = "";
    } else {
      ex.record(new Decision(name(), "max_tokens cap '" + setting + "' is neither a positive number nor auto; "
          + "no cap (" + policy.name() + ")"));
      return;
    }
    PatternStats stats = tracked(ex.pattern());
    if (stats != null) {
      stats.lastCap = cap;
    }
    apply(ex, cap, policy.name() + why);
  }

  private void apply(Exchange ex, long cap, String source) {
    ObjectNode body = ex.body();
    String[] fields = ex.dialect() == Dialect.ANTHROPIC
        ? new String[] {"max_tokens"}
        : new String[] {"max_completion_tokens", "max_tokens"};
    boolean any = false;
    for (String field : fields) {
      JsonNode value = body.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      any = true;
      if (!value.isIntegralNumber()) {
        ex.record(new Decision(name(), field + " " + value + " is not a whole number; left as sent ("
            + source + ")"));
        continue;
      }
      long asked = value.asLong();
      if (asked <= cap) {
        ex.record(new Decision(name(), field + " " + asked + " stands, under the cap " + cap + " (" + source + ")"));
      } else {
        body.put(field, cap);
        ex.outputCap(cap);
        ex.markChanged(new Decision(name(), field + " " + asked + " -> " + cap + " (" + source + ")"));
      }
    }
    if (!any) {
      body.put(fields[0], cap);
      ex.outputCap(cap);
      ex.markChanged(new Decision(name(), fields[0] + " unset -> " + cap + " (" + source + ")"));
    }
  }

  @Override
  public void after(Exchange ex, Outcome outcome) {
    Object setting = setting(ex.policy());
    if (setting == null || outcome.status() != 200) {
      return;
    }
    PatternStats stats = tracked(ex.pattern());
    if (stats == null) {
      return;
    }
    if (outcome.usage() != null) {
      stats.observe(outcome.usage().outputTokens());
    }
    if (ex.outputCap() > 0) {
      boolean cut = "length".equals(outcome.finishReason()) || "max_tokens".equals(outcome.finishReason());
      String raised = stats.capped(cut, "auto".equals(setting));
      if (raised != null) {
        ex.record(new Decision(name(), "max_tokens auto for " + ex.pattern() + ": " + raised));
      }
    }
  }

  /** The stats of one pattern, or null when it was never seen under a {@code max_tokens} policy. */
  public CapStats stats(String pattern) {
    PatternStats s = patterns.get(key(pattern));
    return s == null ? null : s.snapshot();
  }

  /** The stats of every pattern seen under a {@code max_tokens} policy. */
  public Map<String, CapStats> stats() {
    Map<String, CapStats> out = new HashMap<>();
    patterns.forEach((pattern, s) -> out.put(pattern, s.snapshot()));
    return out;
  }

  /** The pattern's stats, made on first use while there is room, else null. */
  private PatternStats tracked(String pattern) {
    String key = key(pattern);
    PatternStats s = patterns.get(key);
    if (s == null && patterns.size() < MAX_PATTERNS) {
      s = patterns.computeIfAbsent(key, k -> new PatternStats());
    }
    return s;
  }

  private static String key(String pattern) {
    return pattern == null ? "" : pattern;
  }

  /** The tactic's cap: "auto", a positive Long, another object when malformed, or null without the tactic. */
  private static Object setting(Policy policy) {
    if (policy == null || !(policy.tactic("max_tokens") instanceof Map<?, ?> tactic)) {
      return null;
    }
    Object cap = tactic.get("cap");
    if (cap instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == Math.floor(n.doubleValue())) {
      return n.longValue();
    }
    if (cap instanceof String s) {
      if (s.equals("auto")) {
        return s;
      }
      try {
        long n = Long.parseLong(s.trim());
        return n >= 1 ? n : s;
      } catch (NumberFormatException e) {
        return s;
      }
    }
    return String.valueOf(cap);
  }

  /** One pattern's output lengths and cap record. */
  private static final class PatternStats {
    final OutputSketch sketch = new OutputSketch();
    final AtomicLong observed = new AtomicLong();
    volatile long p99 = -1;
    volatile int multiplier = BASE_MULTIPLIER;
    volatile long lastCap;
    private long capped;
    private long cut;
    private long windowCapped;
    private long windowCut;

    void observe(long outputTokens) {
      sketch.add(outputTokens);
      long n = observed.incrementAndGet();
      if (n == MIN_OBSERVED || n % REFRESH_EVERY == 0) {
        p99 = sketch.quantile(0.99);
      }
    }

    /** Counts a capped call; returns what was raised when its cut share calls for a larger auto cap. */
    synchronized String capped(boolean wasCut, boolean auto) {
      capped++;
      windowCapped++;
      if (wasCut) {
        cut++;
        windowCut++;
      }
      if (windowCapped < MIN_WINDOW) {
        return null;
      }
      if (auto && windowCut * 100 > windowCapped && multiplier < MAX_MULTIPLIER) {
        String said = String.format(Locale.ROOT, "%d of %d capped calls cut (%.1f %%), multiplier %d -> %d",
            windowCut, windowCapped, 100.0 * windowCut / windowCapped, multiplier, multiplier * 2);
        multiplier *= 2;
        windowCapped = 0;
        windowCut = 0;
        return said;
      }
      if (windowCapped >= MAX_WINDOW) {
        windowCapped = 0;
        windowCut = 0;
      }
      return null;
    }

    synchronized CapStats snapshot() {
      return new CapStats(observed.get(), p99, lastCap, capped, cut);
    }
  }
}
