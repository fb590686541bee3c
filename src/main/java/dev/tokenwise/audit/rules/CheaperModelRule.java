package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.PriceFigures.count;
import static dev.tokenwise.audit.rules.PriceFigures.perMillion;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.audit.SweepVerdict;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.CallRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tactic 1, a cheaper model: the pattern's own token mix (what its answered calls on its main model read,
 * read from cache, wrote to cache and wrote out) priced on that model and on every cheaper chat model of a
 * configured provider. Proposes a step down on the same provider (the smallest change of API): the cheapest
 * smaller sibling of the model ({@code gpt-4o} → {@code gpt-4o-mini}), else the dearest model of the provider
 * that still halves the cost (a tier down, not the floor), else the cheapest of the provider, else the
 * cheapest anywhere; and lists the next three. Whether the cheaper model is good enough is for an eval to
 * say: every finding is {@code needs eval}.
 *
 * <p>Only the calls served by the main model make the mix, since calls on other models are not billed at
 * its price; cache hits are left out (no provider billed them). Cache writes are priced as 5-minute writes,
 * the only lifetime the log does not tell apart from the other.
 */
public final class CheaperModelRule implements Rule {
  /** Answered calls on the main model below which the audit does not price a mix. */
  public static final int MIN_CALLS = 20;
  /** Other candidates listed beside the proposal. */
  public static final int ALTERNATIVES = 3;

  public CheaperModelRule() {}

  @Override
  public String id() {
    return "model";
  }

  /** The proposal among the cheaper candidates, sorted cheapest first (see the class comment). */
  static Candidate pick(List<Candidate> cheaper, String home, String currentModel, long now) {
    List<Candidate> same = cheaper.stream().filter(c -> c.row().provider().equals(home)).toList();
    if (same.isEmpty()) {
      return cheaper.get(0);
    }
    String sibling = currentModel.replaceFirst("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$", "") + "-";
    for (Candidate c : same) {
      if (c.row().model().startsWith(sibling)) {
        return c;
      }
    }
    Candidate tierDown = null;
    for (Candidate c : same) {
      if (c.pico() * 2 <= now) {
        tierDown = c; // sorted cheapest first: the last one that halves the cost is the dearest
      }
    }
    return tierDown != null ? tierDown : same.get(0);
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    String model = calls.mainModel();
    String provider = calls.mainProvider();
    if (model == null || provider == null || context == null) {
      return List.of();
    }
    ModelPrice current = PriceFigures.price(context.prices(), provider, model);
    if (!PriceFigures.chat(current)) {
      return List.of();
    }
    long n = 0;
    long input = 0;
    long cached = 0;
    long written = 0;
    long output = 0;
    for (CallRow c : calls.calls()) {
      if (!c.ok() || c.cacheHit() || !model.equals(c.model()) || !provider.equals(c.provider())) {
        continue;
      }
      n++;
      input += Math.max(0, c.inputTokens());
      cached += Math.max(0, c.cachedInputTokens());
      written += Math.max(0, c.cacheWriteTokens());
      output += Math.max(0, c.outputTokens());
    }
    if (n < MIN_CALLS) {
      return List.of();
    }
    Usage mix = new Usage(input, cached, written, 0, output, 0, false);
    Optional<Long> now = Cost.picoUsd(mix, current, Tier.STANDARD);
    if (now.isEmpty() || now.get() <= 0) {
      return List.of();
    }

    String home = provider.toLowerCase(Locale.ROOT);
    Set<String> configured = PriceFigures.providers(context.providers());
    List<Candidate> cheaper = new ArrayList<>();
    for (ModelPrice row : context.prices().all()) {
      if (!configured.contains(row.provider()) || !PriceFigures.chat(row) || same(row, current, model)) {
        continue;
      }
      Optional<Long> cost = Cost.picoUsd(mix, row, Tier.STANDARD);
      if (cost.isPresent() && cost.get() < now.get()) {
        cheaper.add(new Candidate(row, cost.get(), row.provider().equals(home) ? row.model()
            : row.provider() + "/" + row.model()));
      }
    }
    if (cheaper.isEmpty()) {
      return List.of();
    }
    cheaper.sort(Comparator.comparingLong(Candidate::pico).thenComparing(Candidate::name));
    SweepVerdict sweep = context.sweep(calls.pattern());
    if (sweep != null && !PriceFigures.baseId(bare(sweep.currentModel())).equals(PriceFigures.baseId(model))) {
      sweep = null; // a sweep of the model the pattern ran on before
    }
    if (sweep != null && sweep.keepCurrent()) {
      return List.of(kept(calls.pattern(), model, sweep));
    }
    Candidate proven = sweep != null && sweep.proven() ? winner(sweep.winner(), cheaper, mix, context) : null;
    Candidate pick = proven != null ? proven : pick(cheaper, home, current.model(), now.get());
    List<Candidate> others = cheaper.stream().filter(c -> c != pick).limit(ALTERNATIVES).toList();

    long saving = now.get() - pick.pico();
    long monthly = calls.monthly(saving);
    double share = (double) saving / now.get();

    List<String> arithmetic = new ArrayList<>();
    arithmetic.add("token mix of " + count(n) + " answered calls on " + model + ": " + count(input) + " input, "
        + count(cached) + " cached input, " + count(written) + " cache-write, " + count(output) + " output tokens");
    arithmetic.add(costLine(model, mix, current, now.get()));
    arithmetic.add(costLine(pick.name(), mix, pick.row(), pick.pico()));
    arithmetic.add("saving " + Dollars.of(now.get()) + " − " + Dollars.of(pick.pico()) + " = " + Dollars.of(saving)
        + " (" + Dollars.percent(share) + ")");
    arithmetic.add(PriceFigures.monthly("saving", saving, monthly, calls.period()));
    for (Candidate o : others) {
      arithmetic.add("also cheaper: " + o.name() + " " + Dollars.of(o.pico()) + " (saving "
          + Dollars.of(now.get() - o.pico()) + " in the period)");
    }

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("calls_read", n);
    evidence.put("provider", provider);
    evidence.put("model", model);
    evidence.put("input_tokens", input);
    evidence.put("cached_input_tokens", cached);
    evidence.put("cache_write_tokens", written);
    evidence.put("output_tokens", output);
    evidence.put("current_pico_usd", now.get());
    evidence.put("candidate", pick.name());
    evidence.put("candidate_pico_usd", pick.pico());
    evidence.put("saving_pico_usd", saving);
    evidence.put("saving_share", share);
    evidence.put("monthly_saving_pico_usd", monthly);
    evidence.put("alternatives", others.stream().map(Candidate::name).toList());
    evidence.put("alternatives_pico_usd", others.stream().map(Candidate::pico).toList());

    String title = "runs on " + model + "; " + pick.name() + " would cost " + Dollars.percent(share)
        + " less on this pattern's token mix";
    String status = "needs eval";
    if (proven != null) {
      status = "proven";
      title = "runs on " + model + "; eval " + sweep.runId() + " proved " + pick.name() + ", which costs "
          + Dollars.percent(share) + " less on this pattern's token mix";
      arithmetic.add(proof(sweep));
      evidence.put("eval_run", sweep.runId());
      evidence.put("eval_pass_rate", sweep.winnerPassRate());
      evidence.put("eval_threshold", sweep.threshold());
      evidence.put("eval_items", sweep.items());
      if (sweep.chartSvg() != null) {
        evidence.put("eval_chart_svg", sweep.chartSvg());
      }
    } else if (sweep != null && sweep.winner() == null) {
      arithmetic.add("eval " + sweep.runId() + " found no model above its bar of " + Dollars.percent(sweep.threshold())
          + ", not even " + model + " against its own answers: look at its scorer before trusting a swap ("
          + sweep.link() + ")");
      evidence.put("eval_run", sweep.runId());
      if (sweep.chartSvg() != null) {
        evidence.put("eval_chart_svg", sweep.chartSvg());
      }
    }
    Recommendation rec = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "route",
        Map.of("model", pick.name()), true, null);
    return List.of(new Finding(id(), calls.pattern(), title, monthly, arithmetic, evidence, rec, status));
  }

  /** The sweep's winner priced on the pattern's mix, from the cheaper list or the catalog; null when unpriced. */
  private static Candidate winner(String name, List<Candidate> cheaper, Usage mix, AuditContext context) {
    for (Candidate c : cheaper) {
      if (c.name().equals(name) || c.row().model().equals(bare(name))) {
        return c;
      }
    }
    int slash = name.indexOf('/');
    String provider = slash > 0 ? name.substring(0, slash) : name.startsWith("claude") ? "anthropic" : "openai";
    ModelPrice row = context.prices().find(provider, bare(name)).orElse(null);
    Long pico = row == null ? null : Cost.picoUsd(mix, row, Tier.STANDARD).orElse(null);
    return pico == null ? null : new Candidate(row, pico, name);
  }

  /** A sweep that kept the model in use: said, with no change proposed. */
  private Finding kept(String pattern, String model, SweepVerdict sweep) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("eval_run", sweep.runId());
    evidence.put("eval_threshold", sweep.threshold());
    evidence.put("eval_items", sweep.items());
    if (sweep.chartSvg() != null) {
      evidence.put("eval_chart_svg", sweep.chartSvg());
    }
    return new Finding(id(), pattern, "runs on " + model + "; eval " + sweep.runId()
        + " found no cheaper model that passes, so it stays", 0,
        List.of("eval " + sweep.runId() + ": " + sweep.items() + " items, bar " + Dollars.percent(sweep.threshold())
            + "; the cheapest model that passed is " + model + " itself (" + sweep.link() + ")"),
        evidence, null, "kept by eval");
  }

  private static String proof(SweepVerdict sweep) {
    return "eval " + sweep.runId() + ": " + sweep.winner() + " passed " + Dollars.percent(sweep.winnerPassRate())
        + " of " + sweep.items() + " items (bar " + Dollars.percent(sweep.threshold()) + "), the cheapest that did; "
        + "report " + sweep.link() + " or tokenwise eval --show " + sweep.runId();
  }

  private static String bare(String name) {
    int slash = name.indexOf('/');
    return slash > 0 ? name.substring(slash + 1) : name;
  }

  /** The model in use under another name: the same row, the same id, or a dated snapshot of it. */
  private static boolean same(ModelPrice row, ModelPrice current, String model) {
    String base = PriceFigures.baseId(row.model());
    return base.equals(PriceFigures.baseId(current.model())) || base.equals(PriceFigures.baseId(model));
  }

  /** {@code gpt-4o: 80,000,000 input × $2.50 + 5,000,000 output × $10.00 per 1M = $250.00}. */
  private static String costLine(String name, Usage mix, ModelPrice row, long pico) {
    BigDecimal cachedRate = row.cachedInput() != null ? row.cachedInput() : row.input();
    BigDecimal writeRate = row.cacheWrite5m() != null ? row.cacheWrite5m() : row.input();
    List<String> terms = new ArrayList<>();
    terms.add(count(mix.inputTokens()) + " input × " + perMillion(row.input()));
    if (mix.cachedInputTokens() > 0) {
      terms.add(count(mix.cachedInputTokens()) + " cached × " + perMillion(cachedRate));
    }
    if (mix.cacheWrite5mTokens() > 0) {
      terms.add(count(mix.cacheWrite5mTokens()) + " cache-write × " + perMillion(writeRate));
    }
    terms.add(count(mix.outputTokens()) + " output × " + perMillion(row.output()));
    return name + ": " + String.join(" + ", terms) + " per 1M = " + Dollars.of(pico);
  }

  record Candidate(ModelPrice row, long pico, String name) {}
}
