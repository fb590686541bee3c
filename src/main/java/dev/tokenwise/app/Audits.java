package dev.tokenwise.app;

import dev.tokenwise.audit.SweepVerdict;
import dev.tokenwise.eval.EvalChart;
import dev.tokenwise.eval.EvalSpec;
import dev.tokenwise.eval.EvalSummary;
import dev.tokenwise.store.EvalTable;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.audit.Applied;
import dev.tokenwise.audit.Audit;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.AuditReport;
import dev.tokenwise.audit.Period;
import dev.tokenwise.audit.PatternFacts;
import dev.tokenwise.audit.rules.AuditRules;
import dev.tokenwise.config.Config;
import dev.tokenwise.server.CallShapes;
import dev.tokenwise.store.LogStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Puts an audit together from a config: its prices, providers and policies, every rule, and the log. */
public final class Audits {
  private Audits() {}

  /**
   * Audits a config's request log; the store stays the caller's to close. The semantic cache's model is
   * loaded only when a pattern's stored questions are replayed through it, and closed after the run.
   */
  public static AuditReport run(Config config, LogStore store, Period period, Instant now, int top) {
    PriceTable prices = PriceTable.bundled().withOverrides(config.prices());
    List<Map<String, Object>> policies = config.policies();
    Function<String, Optional<String>> heads =
        id -> store.find(id).flatMap(r -> CallShapes.head(r.dialect(), r.requestBody()));
    try (StoredQuestions questions = new StoredQuestions(store)) {
      Audit audit = new Audit(store, new AuditContext(prices, config.providers().keySet(), Map.of(), sweeps(store)),
          AuditRules.all(heads, questions), (rec, calls) -> Applied.applied(policies, PatternFacts.of(calls), rec));
      return audit.run(period, now, top).withShadows(shadows(config, store, period));
    }
  }

  /**
   * The latest finished eval sweep of each pattern (read from its stored rows), with its scatter plot for
   * the HTML report; none when the store keeps no sweeps.
   */
  static Map<String, SweepVerdict> sweeps(LogStore store) {
    List<EvalTable.Run> runs;
    try {
      runs = store.evals().runs(null, 500);
    } catch (UnsupportedOperationException e) {
      return Map.of();
    }
    Map<String, SweepVerdict> out = new HashMap<>();
    for (EvalTable.Run run : runs) { // newest first: the first finished one of a pattern is its latest
      if (!run.status().equals("done") || out.containsKey(run.pattern())) {
        continue;
      }
      EvalSummary s = EvalSpec.summary(store.evals(), run);
      EvalSummary.Verdict v = s.verdict();
      EvalSummary.ModelFigures w = v.model() == null ? null : s.model(v.model());
      out.put(run.pattern(), new SweepVerdict(run.id(), s.currentModel(), v.model(), v.keepCurrent(),
          w == null ? 0 : w.passRate(), s.threshold(), s.items(), v.monthlySavingPicoUsd(), EvalChart.svg(s)));
    }
    return out;
  }

  /**
   * The shadow tests with pairs in the period, each with the daily cap the config sets for it; none when the
   * store keeps no pairs.
   */
  static List<AuditReport.ShadowTest> shadows(Config config, LogStore store, Period period) {
    dev.tokenwise.store.ShadowTable table;
    try {
      table = store.shadows();
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
    dev.tokenwise.policy.Policies policies = dev.tokenwise.policy.Policies.of(config.policies());
    return table.summaries(period.from(), period.to()).stream().map(s -> {
      dev.tokenwise.policy.ShadowSettings settings = policies.shadowOf(s.pattern(), s.candidateModel());
      return new AuditReport.ShadowTest(s, settings == null ? null : settings.budgetPicoUsdPerDay());
    }).toList();
  }

  /** What a policy matches each top pattern of a report on, by pattern. */
  public static Function<String, PatternFacts> facts(AuditReport report) {
    Map<String, PatternFacts> byPattern = new HashMap<>();
    for (AuditReport.PatternSection s : report.top()) {
      byPattern.put(s.pattern(), s.facts());
    }
    return p -> byPattern.getOrDefault(p, PatternFacts.of(p));
  }
}
