package dev.tokenwise.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an audit found, ready to be written as markdown, HTML or JSON. Money is in picodollars; every
 * figure is a sum or count over the rows of {@code requests} (and {@code request_attempts}) in the
 * period it names, which the JSON report states beside it.
 *
 * @param generatedAt when the audit ran
 * @param period the period read
 * @param previous the period of the same length before it, for comparison
 * @param current the period's totals
 * @param before the previous period's totals
 * @param byPattern spend per pattern, largest first
 * @param byModel spend per {@code provider/model}, largest first
 * @param byProvider spend per provider, largest first
 * @param byTenant spend per tenant, largest first
 * @param growth the patterns whose spend grew against the previous period, and why
 * @param top the top patterns by spend, each with its findings, largest saving first
 * @param saved what the gateway's tactics already saved in the period, per tactic
 * @param daily spend per day (UTC) for the top patterns and the rest, oldest first
 * @param notes what the reader should know about the data (rows without a shape, unknown prices)
 * @param shadows the shadow tests with pairs in the period (table {@code shadow_pairs}), by pattern then
 *     candidate model
 */
public record AuditReport(
    Instant generatedAt,
    Period period,
    Period previous,
    Totals current,
    Totals before,
    List<SpendLine> byPattern,
    List<SpendLine> byModel,
    List<SpendLine> byProvider,
    List<SpendLine> byTenant,
    List<Growth> growth,
    List<PatternSection> top,
    List<TacticSaving> saved,
    List<DaySpend> daily,
    List<String> notes,
    List<ShadowTest> shadows) {

  /** A report without shadow tests. */
  public AuditReport(Instant generatedAt, Period period, Period previous, Totals current, Totals before,
      List<SpendLine> byPattern, List<SpendLine> byModel, List<SpendLine> byProvider, List<SpendLine> byTenant,
      List<Growth> growth, List<PatternSection> top, List<TacticSaving> saved, List<DaySpend> daily,
      List<String> notes) {
    this(generatedAt, period, previous, current, before, byPattern, byModel, byProvider, byTenant, growth, top, saved,
        daily, notes, List.of());
  }

  /** The same report with these shadow tests. */
  public AuditReport withShadows(List<ShadowTest> tests) {
    return new AuditReport(generatedAt, period, previous, current, before, byPattern, byModel, byProvider, byTenant,
        growth, top, saved, daily, notes, List.copyOf(tests));
  }

  /**
   * A shadow test's pairs in the period: one pattern's live calls copied to a candidate model, summed from
   * table {@code shadow_pairs}.
   *
   * @param pairs the sums
   * @param dailyCapPicoUsd the daily cap the config sets for it, or null when no policy shadows it now
   */
  public record ShadowTest(dev.tokenwise.store.ShadowSummary pairs, Long dailyCapPicoUsd) {

    /** What the priced pairs' production calls cost per 1,000 calls, or null when none is priced. */
    public Long productionPer1000() {
      return per1000(pairs.productionPicoUsd());
    }

    /** What the priced pairs' copies cost per 1,000 calls, or null when none is priced. */
    public Long candidatePer1000() {
      return per1000(pairs.candidatePicoUsd());
    }

    /** The candidate's cost as a share of production's, over the priced pairs; null when production cost 0. */
    public Double costShare() {
      return pairs.priced() == 0 || pairs.productionPicoUsd() == 0 ? null
          : (double) pairs.candidatePicoUsd() / pairs.productionPicoUsd();
    }

    private Long per1000(long sum) {
      if (pairs.priced() == 0) {
        return null;
      }
      return java.math.BigDecimal.valueOf(sum).multiply(java.math.BigDecimal.valueOf(1000))
          .divide(java.math.BigDecimal.valueOf(pairs.priced()), 0, java.math.RoundingMode.HALF_UP).longValueExact();
    }
  }

  /** The name under which the daily series gathers every pattern outside the top. */
  public static final String OTHER = "(other patterns)";

  /**
   * A period's totals.
   *
   * @param calls rows read
   * @param spendPicoUsd what they cost (rows of unknown cost count nothing)
   * @param unknownCostCalls rows whose cost is unknown (no price)
   * @param baselinePicoUsd what the same calls as sent would have cost, over rows with both figures
   * @param actualPicoUsd what those same rows cost
   * @param withBaseline how many rows have both figures (the rows of the two sums above)
   * @param errors rows answered with a status of 400 or more
   */
  public record Totals(long calls, long spendPicoUsd, long unknownCostCalls, long baselinePicoUsd, long actualPicoUsd,
      long withBaseline, long errors) {
    /** What the tactics saved on the rows with both figures. */
    public long savedPicoUsd() {
      return baselinePicoUsd - actualPicoUsd;
    }
  }

  /** Spend under one name (a pattern, a model, a provider, a tenant) now and in the previous period. */
  public record SpendLine(String key, long calls, long spendPicoUsd, long previousCalls, long previousSpendPicoUsd) {}

  /**
   * A pattern that costs more than in the previous period.
   *
   * @param reason {@code new}, {@code volume}, {@code prompt length}, {@code output length} or {@code model}
   * @param why the figures behind the reason, one line each
   */
  public record Growth(String pattern, long previousPicoUsd, long currentPicoUsd, String reason, List<String> why) {}

  /**
   * One of the top patterns.
   *
   * @param share of the period's spend
   * @param model the model it mostly runs on
   * @param provider that model's provider
   * @param findings what the rules found, largest monthly saving first
   * @param facts what a policy matches its calls on (the model they ask for, which may differ from the one
   *     that answered), for {@code apply}
   */
  public record PatternSection(String pattern, long calls, long spendPicoUsd, double share, String model,
      String provider, List<Finding> findings, PatternFacts facts) {}

  /**
   * What one tactic saved, summed from the {@code savings:} entries of the rows' traces.
   *
   * @param estimated whether any of the entries was an estimate ({@code ~})
   */
  public record TacticSaving(String tactic, long calls, long savedPicoUsd, boolean estimated) {}

  /** One day's spend per pattern (the top ones, then {@link #OTHER}). */
  public record DaySpend(LocalDate day, Map<String, Long> picoUsdByPattern) {}

  /** Every finding of the top patterns, largest monthly saving first. */
  public List<Finding> findings() {
    return top.stream().flatMap(p -> p.findings().stream())
        .sorted(java.util.Comparator.comparingLong(Finding::monthlySavingPicoUsd).reversed()).toList();
  }
}
