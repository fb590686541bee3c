package dev.tokenwise.audit;

import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.FailedAttempt;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.SpendGroup;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The cost audit over the request log: where the money went in a period and against the one before,
 * which patterns grew and why, and for the top patterns by spend what each {@link Rule} finds. It reads
 * the log twice (every row for the sums, then the rows of the top patterns for the rules) and never a
 * body, so a million rows take seconds.
 */
public final class Audit {
  /** Patterns the rules look at by default: a monthly loop looks at the few that matter. */
  public static final int TOP = 5;
  /** A pattern's growth is reported when its spend rose by more than this share. */
  static final double GROWTH_SHARE = 0.10;
  /**
   * The period is read in at most this many slices at once (one per core): three slices and the task beside
   * them take the store's four connections at most, so that none waits for another.
   */
  static final int MAX_SLICES = 3;
  /** Growth lines reported at most. */
  static final int MAX_GROWTH = 5;
  /** How the tables name rows without a pattern, provider or tenant (the JSON report's queries read them back). */
  public static final String NO_PATTERN = "(none)";
  public static final String NO_PROVIDER = "(no provider reached)";
  public static final String NO_PROVIDER_SHORT = "?";
  public static final String NO_TENANT = "(unknown)";

  private final LogStore store;
  private final AuditContext context;
  private final List<Rule> rules;
  private final BiPredicate<Recommendation, PatternCalls> applied;

  /**
   * @param applied tells whether the config already carries a recommendation for a pattern
   */
  public Audit(LogStore store, AuditContext context, List<Rule> rules,
      BiPredicate<Recommendation, PatternCalls> applied) {
    this.store = store;
    this.context = context;
    this.rules = List.copyOf(rules);
    this.applied = applied;
  }

  /** Audits the period with the rules on the {@link #TOP} patterns; {@code now} is when the report says it ran. */
  public AuditReport run(Period period, Instant now) {
    return run(period, now, TOP);
  }

  /** Audits the period with the rules on the {@code topPatterns} costliest patterns. */
  public AuditReport run(Period period, Instant now, int topPatterns) {
    if (topPatterns < 1) {
      throw new IllegalArgumentException("the audit needs at least one pattern to look at, got " + topPatterns);
    }
    Period previous = period.previous();
    int slices = Math.max(1, Math.min(MAX_SLICES, Runtime.getRuntime().availableProcessors()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(slices + 1,
        Thread.ofPlatform().name("tokenwise-audit-", 0).daemon(true).factory());
    List<CallRow> calls;
    Sums before = new Sums(false);
    Map<String, long[]> tactics = new TreeMap<>();
    List<FailedAttempt> failedAttempts;
    try {
      // the period read in time slices at once, each on its own connection; the previous period's sums,
      // the savings and the failed attempts beside them
      var others = pool.submit(() -> {
        store.spendGroups(previous.from(), previous.to()).forEach(before::add);
        store.scanSavings(period.from(), period.to(), entries -> Savings.parse(entries, tactics));
        return store.failedAttempts(period.from(), period.to());
      });
      List<java.util.concurrent.Future<List<CallRow>>> parts = new ArrayList<>();
      for (Period slice : slices(period, slices)) {
        parts.add(pool.submit(() -> {
          List<CallRow> part = new ArrayList<>();
          store.scanCalls(slice.from(), slice.to(), part::add);
          return part;
        }));
      }
      calls = new ArrayList<>();
      for (var part : parts) {
        calls.addAll(await(part));
      }
      failedAttempts = await(others);
    } finally {
      pool.shutdownNow();
    }
    Sums current = new Sums(true);
    current.tactics.putAll(tactics);
    calls.forEach(current::add);

    List<String> top = current.patterns.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, PatternSums>>comparingLong(e -> e.getValue().spend).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(topPatterns).map(Map.Entry::getKey).toList();
    java.util.Set<String> topSet = new java.util.HashSet<>(top);
    Map<String, List<CallRow>> rows = new HashMap<>();
    for (CallRow r : calls) {
      if (r.pattern() != null && topSet.contains(r.pattern())) {
        rows.computeIfAbsent(r.pattern(), k -> new ArrayList<>()).add(r);
      }
    }
    calls = null; // the other patterns' rows can go
    Map<String, List<FailedAttempt>> failed = new HashMap<>();
    for (FailedAttempt f : failedAttempts) {
      failed.computeIfAbsent(f.pattern() == null ? NO_PATTERN : f.pattern(), k -> new ArrayList<>()).add(f);
    }
    AuditContext ctx = new AuditContext(context.prices(), context.providers(), failed, context.sweeps());

    List<AuditReport.PatternSection> sections = top.parallelStream()
        .map(pattern -> section(pattern, new PatternCalls(pattern, period, rows.getOrDefault(pattern, List.of())), ctx,
            current))
        .toList();
    return new AuditReport(now, period, previous, current.totals(), before.totals(),
        lines(current.patterns, before.patterns), lines(current.models, before.models),
        lines(current.providers, before.providers), lines(current.tenants, before.tenants),
        growth(current, before), sections, current.saved(), current.daily(top), current.notes());
  }

  /** One top pattern's section: every rule's findings, largest saving first, marked when already applied. */
  private AuditReport.PatternSection section(String pattern, PatternCalls calls, AuditContext ctx, Sums current) {
    List<Finding> findings = new ArrayList<>();
    for (Rule rule : rules) {
      for (Finding f : rule.check(calls, ctx)) {
        Recommendation rec = f.recommendation();
        findings.add(rec != null && applied.test(rec, calls) ? f.withStatus("applied") : f);
      }
    }
    findings.sort(Comparator.comparingLong(Finding::monthlySavingPicoUsd).reversed().thenComparing(Finding::rule));
    PatternSums s = current.patterns.get(pattern);
    return new AuditReport.PatternSection(pattern, s.calls, s.spend,
        current.spend == 0 ? 0 : (double) s.spend / current.spend, calls.mainModel(), calls.mainProvider(),
        findings, PatternFacts.of(calls));
  }

  /** The period cut into {@code n} slices of equal length, in order. */
  static List<Period> slices(Period period, int n) {
    List<Period> out = new ArrayList<>(n);
    long from = period.from().toEpochMilli();
    long length = period.to().toEpochMilli() - from;
    for (int i = 0; i < n; i++) {
      long a = from + length * i / n;
      long b = i == n - 1 ? period.to().toEpochMilli() : from + length * (i + 1) / n;
      if (b > a) {
        out.add(new Period(Instant.ofEpochMilli(a), Instant.ofEpochMilli(b)));
      }
    }
    return out;
  }

  private static <T> T await(java.util.concurrent.Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the audit was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static List<AuditReport.SpendLine> lines(Map<String, ? extends Spend> now, Map<String, ? extends Spend> then) {
    Map<String, AuditReport.SpendLine> out = new HashMap<>();
    now.forEach((k, s) -> out.put(k, new AuditReport.SpendLine(k, s.calls(), s.spend(), 0, 0)));
    then.forEach((k, s) -> {
      AuditReport.SpendLine l = out.get(k);
      out.put(k, new AuditReport.SpendLine(k, l == null ? 0 : l.calls(), l == null ? 0 : l.spendPicoUsd(),
          s.calls(), s.spend()));
    });
    return out.values().stream()
        .sorted(Comparator.comparingLong(AuditReport.SpendLine::spendPicoUsd).reversed()
            .thenComparing(Comparator.comparingLong(AuditReport.SpendLine::previousSpendPicoUsd).reversed())
            .thenComparing(AuditReport.SpendLine::key))
        .toList();
  }

  /** Patterns that cost more than before, largest increase first, each with its main reason. */
  static List<AuditReport.Growth> growth(Sums current, Sums before) {
    List<AuditReport.Growth> out = new ArrayList<>();
    for (Map.Entry<String, PatternSums> e : current.patterns.entrySet()) {
      PatternSums now = e.getValue();
      PatternSums then = before.patterns.get(e.getKey());
      long was = then == null ? 0 : then.spend;
      if (now.spend <= was || now.spend - was <= GROWTH_SHARE * was || now.spend == 0) {
        continue;
      }
      out.add(explain(e.getKey(), then, now));
    }
    out.sort(Comparator.comparingLong((AuditReport.Growth g) -> g.currentPicoUsd() - g.previousPicoUsd()).reversed()
        .thenComparing(AuditReport.Growth::pattern));
    return out.size() > MAX_GROWTH ? List.copyOf(out.subList(0, MAX_GROWTH)) : out;
  }

  /**
   * Splits a pattern's growth into more calls and dearer calls: (n1 − n0) × c0 and n1 × (c1 − c0), where n
   * is calls and c the average cost of a call; the two add up to the growth. A dearer call is put down to
   * the model when the model that costs the most changed or its share of spend moved by 20 points, else
   * to the prompt or the output, whichever average grew more.
   */
  static AuditReport.Growth explain(String pattern, PatternSums then, PatternSums now) {
    List<String> why = new ArrayList<>();
    if (then == null || then.calls == 0) {
      why.add(String.format(java.util.Locale.ROOT, "new this period: %,d calls, %s", now.calls, Dollars.of(now.spend)));
      return new AuditReport.Growth(pattern, 0, now.spend, "new", why);
    }
    BigDecimal c0 = avg(then.spend, then.calls);
    BigDecimal c1 = avg(now.spend, now.calls);
    long volume = c0.multiply(BigDecimal.valueOf(now.calls - then.calls)).setScale(0, java.math.RoundingMode.HALF_UP)
        .longValue();
    long perCall = now.spend - then.spend - volume;
    why.add(String.format(java.util.Locale.ROOT, "calls %,d → %,d (%s): %s from volume", then.calls, now.calls,
        change(then.calls, now.calls), signed(volume)));
    why.add(String.format(java.util.Locale.ROOT, "cost per call %s → %s: %s from dearer calls",
        Dollars.of(c0.setScale(0, java.math.RoundingMode.HALF_UP).longValue()),
        Dollars.of(c1.setScale(0, java.math.RoundingMode.HALF_UP).longValue()), signed(perCall)));
    long in0 = then.input / then.calls;
    long in1 = now.input / now.calls;
    long out0 = then.output / then.calls;
    long out1 = now.output / now.calls;
    why.add(String.format(java.util.Locale.ROOT, "input tokens per call %,d → %,d (%s)", in0, in1, change(in0, in1)));
    why.add(String.format(java.util.Locale.ROOT, "output tokens per call %,d → %,d (%s)", out0, out1,
        change(out0, out1)));
    String m0 = then.mainModel();
    String m1 = now.mainModel();
    double share0 = then.share(m1);
    double share1 = now.share(m1);
    boolean modelMoved = m1 != null && (!m1.equals(m0) || Math.abs(share1 - share0) >= 0.20);
    if (modelMoved) {
      why.add("model: " + m1 + " " + Dollars.percent(share0) + " → " + Dollars.percent(share1) + " of spend");
    }
    String reason;
    if (Math.abs(volume) >= Math.abs(perCall)) {
      reason = "volume";
    } else if (modelMoved) {
      reason = "model";
    } else {
      double inGrowth = in0 == 0 ? Double.MAX_VALUE : (double) (in1 - in0) / in0;
      double outGrowth = out0 == 0 ? Double.MAX_VALUE : (double) (out1 - out0) / out0;
      reason = inGrowth >= outGrowth ? "prompt length" : "output length";
    }
    return new AuditReport.Growth(pattern, then.spend, now.spend, reason, why);
  }

  private static BigDecimal avg(long sum, long n) {
    return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(n), 6, java.math.RoundingMode.HALF_UP);
  }

  private static String change(long from, long to) {
    if (from == 0) {
      return to == 0 ? "no change" : "from none";
    }
    double c = (double) (to - from) / from;
    return (c >= 0 ? "+" : "") + Dollars.percent(c);
  }

  private static String signed(long pico) {
    return (pico >= 0 ? "+" : "") + Dollars.of(pico);
  }

  /** A name's calls and spend over a period. */
  interface Spend {
    long calls();

    long spend();
  }

  /** Calls and spend under one name. */
  static class Line implements Spend {
    long calls;
    long spend;

    @Override
    public long calls() {
      return calls;
    }

    @Override
    public long spend() {
      return spend;
    }
  }

  /** A pattern's sums: what {@link Line} has, plus tokens and spend per model, to explain growth. */
  static final class PatternSums extends Line {
    long input;
    long output;
    final Map<String, Long> byModel = new HashMap<>();

    String mainModel() {
      return byModel.entrySet().stream()
          .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
          .map(Map.Entry::getKey).orElse(null);
    }

    double share(String model) {
      return spend == 0 || model == null ? 0 : (double) byModel.getOrDefault(model, 0L) / spend;
    }
  }

  /** One pass over a period's rows. */
  static final class Sums {
    private final boolean detailed;
    long calls;
    long spend;
    long unknown;
    long baseline;
    long actual;
    long errors;
    long withBaseline;
    long unshaped;
    final Map<String, PatternSums> patterns = new HashMap<>();
    final Map<String, Line> models = new HashMap<>();
    final Map<String, Line> providers = new HashMap<>();
    final Map<String, Line> tenants = new HashMap<>();
    /** Per tactic: calls, picodollars saved, and 1 when any entry was an estimate. */
    final Map<String, long[]> tactics = new TreeMap<>();
    final Map<Long, Map<String, Long>> days = new TreeMap<>();

    /** @param detailed whether to keep what only the audited period shows (savings, days, notes) */
    Sums(boolean detailed) {
      this.detailed = detailed;
    }

    void add(CallRow r) {
      long cost = r.costPicoUsd() == null ? 0 : r.costPicoUsd();
      boolean both = r.costPicoUsd() != null && r.baselinePicoUsd() != null;
      add(new SpendGroup(r.pattern(), r.provider(), r.model(), r.tenant(), Math.floorDiv(r.timeMs(), 86_400_000L), 1,
          cost, r.costPicoUsd() == null ? 1 : 0, both ? r.baselinePicoUsd() : 0, both ? cost : 0, both ? 1 : 0,
          r.ok() ? 0 : 1, r.promptTokens(), r.outputTokens(), r.shape() == null ? 1 : 0));
    }

    void add(SpendGroup g) {
      calls += g.calls();
      spend += g.spendPicoUsd();
      unknown += g.unknownCost();
      errors += g.errors();
      baseline += g.baselinePicoUsd();
      actual += g.actualPicoUsd();
      withBaseline += g.withBaseline();
      unshaped += g.unshaped();
      String pattern = g.pattern() == null ? NO_PATTERN : g.pattern();
      PatternSums p = patterns.computeIfAbsent(pattern, k -> new PatternSums());
      p.calls += g.calls();
      p.spend += g.spendPicoUsd();
      p.input += g.promptTokens();
      p.output += g.outputTokens();
      if (g.model() != null) {
        String model = (g.provider() == null ? NO_PROVIDER_SHORT : g.provider()) + "/" + g.model();
        p.byModel.merge(model, g.spendPicoUsd(), Long::sum);
        bump(models, model, g);
      }
      bump(providers, g.provider() == null ? NO_PROVIDER : g.provider(), g);
      bump(tenants, g.tenant() == null ? NO_TENANT : g.tenant(), g);
      if (detailed) {
        days.computeIfAbsent(g.day(), k -> new HashMap<>()).merge(pattern, g.spendPicoUsd(), Long::sum);
      }
    }

    private static void bump(Map<String, Line> lines, String key, SpendGroup g) {
      Line l = lines.computeIfAbsent(key, k -> new Line());
      l.calls += g.calls();
      l.spend += g.spendPicoUsd();
    }

    AuditReport.Totals totals() {
      return new AuditReport.Totals(calls, spend, unknown, baseline, actual, withBaseline, errors);
    }

    List<AuditReport.TacticSaving> saved() {
      List<AuditReport.TacticSaving> out = new ArrayList<>();
      tactics.forEach((t, v) -> out.add(new AuditReport.TacticSaving(t, v[0], v[1], v[2] != 0)));
      out.sort(Comparator.comparingLong(AuditReport.TacticSaving::savedPicoUsd).reversed()
          .thenComparing(AuditReport.TacticSaving::tactic));
      return out;
    }

    List<AuditReport.DaySpend> daily(List<String> top) {
      List<AuditReport.DaySpend> out = new ArrayList<>();
      days.forEach((day, spendBy) -> {
        Map<String, Long> line = new LinkedHashMap<>();
        top.forEach(p -> line.put(p, spendBy.getOrDefault(p, 0L)));
        long rest = spendBy.entrySet().stream().filter(e -> !top.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue).sum();
        line.put(AuditReport.OTHER, rest);
        out.add(new AuditReport.DaySpend(LocalDate.ofEpochDay(day), line));
      });
      return out;
    }

    List<String> notes() {
      List<String> out = new ArrayList<>();
      if (calls == 0) {
        out.add("the log holds no calls in this period");
      }
      if (unknown > 0) {
        out.add(String.format(java.util.Locale.ROOT, "%,d calls have no price in the catalog; they count $0 here"
            + " (add their model under prices: in the config)", unknown));
      }
      if (unshaped > 0) {
        out.add(String.format(java.util.Locale.ROOT, "%,d calls were logged without a shape (by an older version, or"
            + " not chat calls); the rules that compare calls skip them", unshaped));
      }
      return out;
    }
  }

  /** Reads the {@code savings: TACTIC [~]AMOUNT USD} entries of a trace. */
  static final class Savings {
    private Savings() {}

    static void parse(String entries, Map<String, long[]> into) {
      for (String entry : entries.split("; ")) {
        if (!entry.startsWith("savings: ")) {
          continue;
        }
        String[] parts = entry.substring(9).split(" ");
        if (parts.length < 3 || !parts[2].equals("USD")) {
          continue; // "unknown (no price)"
        }
        boolean estimate = parts[1].startsWith("~");
        long pico;
        try {
          pico = new BigDecimal(estimate ? parts[1].substring(1) : parts[1]).movePointRight(12)
              .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
          continue;
        }
        long[] t = into.computeIfAbsent(parts[0], k -> new long[3]);
        t[0]++;
        t[1] += pico;
        if (estimate) {
          t[2] = 1;
        }
      }
    }
  }
}
