package dev.tokenwise.eval;

import dev.tokenwise.store.EvalTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's figures, computed from its stored rows alone (so that a report made today and one made
 * from the admin API next month agree): per model, its quality (the mean score of the items it
 * answered), its pass rate (items passed over items in the set: a call that failed is an item not
 * passed), its cost per 1,000 calls (the mean cost of its answered calls), its latency and what the
 * sweep spent on it; then the verdict: the cheapest model whose pass rate reaches the bar.
 *
 * @param monthlyCalls the pattern's calls in the last 30 days, which the monthly saving is priced at
 */
public record EvalSummary(String runId, String pattern, String currentModel, String status, String scorer,
    double threshold, int items, List<ModelFigures> models, Verdict verdict, long spentPicoUsd, long monthlyCalls) {

  /**
   * One model's figures.
   *
   * @param answered items it answered (status 200)
   * @param failed items whose call failed
   * @param missing items not yet tried (an interrupted or stopped sweep)
   * @param quality mean score over the answered items, in [0, 1]
   * @param passRate items passed over the set's items
   * @param costPer1kPicoUsd the mean cost of an answered call × 1,000, or null when no answered call had a price
   * @param spentPicoUsd what its calls and their scoring cost the sweep
   */
  public record ModelFigures(String model, boolean current, int answered, int failed, int missing, int passed,
      double quality, double passRate, Long costPer1kPicoUsd, long latencyP50Millis, long latencyP95Millis,
      long spentPicoUsd) {

    /** Whether it reached the bar over a whole set. */
    public boolean passes(double threshold) {
      return missing == 0 && passRate >= threshold;
    }
  }

  /**
   * The verdict: the cheapest model that passes (the current one when no cheaper model does), or none
   * when not even the current model reaches the bar or the sweep is incomplete.
   *
   * @param model the winner, or null
   * @param monthlySavingPicoUsd (current − winner cost per call) × the pattern's monthly calls; 0 when the
   *     winner is the current model
   * @param reason one sentence a person reads
   */
  public record Verdict(String model, boolean keepCurrent, long monthlySavingPicoUsd, String reason) {}

  /** The figures of a run from its rows. */
  public static EvalSummary of(EvalTable.Run run, List<EvalTable.Item> items, List<EvalTable.Result> results,
      List<String> models, String scorer, double threshold, long monthlyCalls) {
    Map<String, List<EvalTable.Result>> byModel = new LinkedHashMap<>();
    for (String m : models) {
      byModel.put(m, new ArrayList<>());
    }
    for (EvalTable.Result r : results) {
      byModel.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(r);
    }
    List<ModelFigures> figures = new ArrayList<>();
    long spent = 0;
    for (Map.Entry<String, List<EvalTable.Result>> e : byModel.entrySet()) {
      ModelFigures f = figures(e.getKey(), e.getKey().equals(run.currentModel()), items.size(), e.getValue());
      figures.add(f);
      spent += f.spentPicoUsd();
    }
    return new EvalSummary(run.id(), run.pattern(), run.currentModel(), run.status(), scorer, threshold, items.size(),
        List.copyOf(figures), verdict(run.currentModel(), figures, threshold, items.size(), monthlyCalls), spent,
        monthlyCalls);
  }

  static ModelFigures figures(String model, boolean current, int items, List<EvalTable.Result> rows) {
    int answered = 0;
    int failed = 0;
    int passed = 0;
    double scoreSum = 0;
    long costSum = 0;
    int priced = 0;
    long spent = 0;
    List<Long> latencies = new ArrayList<>();
    for (EvalTable.Result r : rows) {
      spent += (r.costPicoUsd() == null ? 0 : r.costPicoUsd()) + r.judgeCostPicoUsd();
      if (r.status() != 200 || r.score() == null) {
        failed++;
        continue;
      }
      answered++;
      scoreSum += r.score();
      if (Boolean.TRUE.equals(r.pass())) {
        passed++;
      }
      if (r.costPicoUsd() != null) {
        costSum += r.costPicoUsd();
        priced++;
      }
      latencies.add(r.latencyMillis());
    }
    latencies.sort(Comparator.naturalOrder());
    Long per1k = priced == 0 ? null : Math.round(costSum * 1000.0 / priced);
    return new ModelFigures(model, current, answered, failed, Math.max(0, items - rows.size()), passed,
        answered == 0 ? 0 : scoreSum / answered, items == 0 ? 0 : (double) passed / items, per1k,
        percentile(latencies, 0.50), percentile(latencies, 0.95), spent);
  }

  static Verdict verdict(String current, List<ModelFigures> figures, double threshold, int items, long monthlyCalls) {
    ModelFigures now = figures.stream().filter(ModelFigures::current).findFirst().orElse(null);
    if (items == 0) {
      return new Verdict(null, false, 0, "the set is empty");
    }
    if (figures.stream().anyMatch(f -> f.missing() > 0)) {
      return new Verdict(null, false, 0, "the sweep is not complete; resume it for a verdict");
    }
    ModelFigures best = figures.stream().filter(f -> f.passes(threshold) && f.costPer1kPicoUsd() != null)
        .min(Comparator.comparingLong(ModelFigures::costPer1kPicoUsd).thenComparing(f -> !f.current()))
        .orElse(null);
    String bar = Math.round(threshold * 1000) / 10.0 + " %";
    if (best == null) {
      return new Verdict(null, false, 0, "no model, not even " + current + ", passes " + bar + " of the items");
    }
    if (best.current() || now == null || now.costPer1kPicoUsd() == null
        || best.costPer1kPicoUsd() >= now.costPer1kPicoUsd()) {
      return new Verdict(current, true, 0, "no cheaper model passes " + bar + " of the items; keep " + current);
    }
    long perCall = now.costPer1kPicoUsd() - best.costPer1kPicoUsd();
    long monthly = Math.round(perCall / 1000.0 * monthlyCalls);
    return new Verdict(best.model(), false, monthly, best.model() + " is the cheapest model that passes " + bar
        + " of the items");
  }

  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** The figures of one model, or null. */
  public ModelFigures model(String model) {
    return models.stream().filter(m -> m.model().equals(model)).findFirst().orElse(null);
  }
}
