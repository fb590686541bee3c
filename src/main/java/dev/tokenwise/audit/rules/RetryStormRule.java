package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.PriceFigures.count;
import static dev.tokenwise.audit.rules.PriceFigures.perMillion;

import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.FailedAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tactic 8, bounded fallback: upstream attempts that did not answer (failed, rejected or broken; a call the
 * client cancelled is not the provider's fault). The saving is what providers billed for them; their other
 * cost, waiting, is shown but not priced. When another configured provider has a priced chat model whose
 * output costs no more than the failing model's, the one closest in price is proposed as a fallback.
 *
 * <p>"All attempts" is the retry budget as the log shows it: the most attempts any call of the pattern made
 * ({@code retry.max_attempts} is not in the log).
 */
public final class RetryStormRule implements Rule {
  /** Fewer failed attempts than this never make a finding: one or two transient failures are normal. */
  public static final int MIN_FAILED = 5;
  /** Failed attempts, as a share of the pattern's calls, that make a finding. */
  public static final double MIN_SHARE = 0.05;
  /** Failed attempts in one minute that make a finding whatever the share. */
  public static final int STORM_PER_MINUTE = 20;
  private static final Set<String> FAILED = Set.of("failed", "rejected", "broken");

  public RetryStormRule() {}

  @Override
  public String id() {
    return "retries";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    if (context == null) {
      return List.of();
    }
    List<FailedAttempt> failed = context.failedAttempts(calls.pattern()).stream()
        .filter(a -> a != null && a.outcome() != null && FAILED.contains(a.outcome().toLowerCase(Locale.ROOT)))
        .toList();
    if (failed.size() < MIN_FAILED) {
      return List.of();
    }
    long billed = 0;
    int billedKnown = 0;
    Map<Long, Integer> perMinute = new HashMap<>();
    Map<Integer, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byModel = new HashMap<>();
    for (FailedAttempt a : failed) {
      if (a.costPicoUsd() != null) {
        billed += a.costPicoUsd();
        billedKnown++;
      }
      perMinute.merge(Math.floorDiv(a.timeMs(), 60_000L), 1, Integer::sum);
      byStatus.merge(a.status(), 1, Integer::sum);
      if (a.provider() != null && a.model() != null) {
        byModel.merge(a.provider() + "/" + a.model(), 1, Integer::sum);
      }
    }
    int billedUnknown = failed.size() - billedKnown;
    long peakMinute = 0;
    int peak = 0;
    for (Map.Entry<Long, Integer> e : perMinute.entrySet()) {
      if (e.getValue() > peak || e.getValue() == peak && e.getKey() < peakMinute) {
        peak = e.getValue();
        peakMinute = e.getKey();
      }
    }
    int total = calls.calls().size();
    double share = total == 0 ? 1.0 : (double) failed.size() / total;
    if (share < MIN_SHARE && peak < STORM_PER_MINUTE && billed <= 0) {
      return List.of();
    }

    int maxAttempts = 0;
    for (CallRow c : calls.calls()) {
      maxAttempts = Math.max(maxAttempts, c.attempts());
    }
    int retried = 0;
    int exhausted = 0;
    for (CallRow c : calls.calls()) {
      if (c.attempts() > 1) {
        retried++;
      }
      if ((c.status() >= 500 || c.status() == 429) && maxAttempts > 0 && c.attempts() >= maxAttempts) {
        exhausted++;
      }
    }
    double shareRetried = total == 0 ? 0 : (double) retried / total;
    long monthly = calls.monthly(billed);
    String peakAt = Instant.ofEpochMilli(peakMinute * 60_000L).toString();

    List<String> statuses = new ArrayList<>();
    byStatus.forEach((status, n) -> statuses.add((status == 0 ? "no status" : String.valueOf(status)) + ": " + n));

    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(count(failed.size()) + " failed attempts (" + String.join(", ", statuses) + ") for "
        + count(total) + " calls: " + Dollars.percent(share) + " (a finding from " + Dollars.percent(MIN_SHARE) + ")");
    arithmetic.add("busiest minute " + peakAt + ": " + count(peak) + " failed attempts (a finding from "
        + STORM_PER_MINUTE + ")");
    arithmetic.add(count(retried) + " calls needed more than one attempt (" + Dollars.percent(shareRetried) + "); "
        + count(exhausted) + " ended in an error (5xx or 429) after " + maxAttempts + " attempts, the most any call made");
    arithmetic.add("billed for failed attempts: " + Dollars.of(billed) + " (" + count(billedKnown)
        + " with a known cost" + (billedUnknown > 0 ? ", " + count(billedUnknown) + " unknown, not counted" : "")
        + ")");
    if (billed > 0) {
      arithmetic.add(PriceFigures.monthly("saving", billed, monthly, calls.period()));
    } else {
      arithmetic.add("nothing billed is known: the failures cost time, not a countable sum");
    }

    Recommendation rec = null;
    String current = current(calls, byModel);
    ModelPrice currentPrice = null;
    if (current != null) {
      int cut = current.indexOf('/');
      currentPrice = PriceFigures.price(context.prices(), current.substring(0, cut), current.substring(cut + 1));
    }
    ModelPrice fallback = currentPrice == null || currentPrice.output() == null ? null
        : fallback(context, current.substring(0, current.indexOf('/')).toLowerCase(Locale.ROOT), currentPrice);
    if (fallback != null) {
      String to = fallback.provider() + "/" + fallback.model();
      rec = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "fallback", List.of(to),
          true, null);
      arithmetic.add("fallback " + to + ": the priced chat model of another configured provider closest to, and not above,"
          + " " + current + "'s output price " + perMillion(currentPrice.output()) + " per 1M ("
          + perMillion(fallback.output()) + ")");
    } else {
      arithmetic.add("no other configured provider has a priced chat model with output at or below "
          + (currentPrice == null || currentPrice.output() == null ? "the failing model's (it has no price)"
              : current + "'s " + perMillion(currentPrice.output()) + " per 1M") + ": no fallback proposed");
    }

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("calls_read", total);
    evidence.put("failed_attempts", failed.size());
    evidence.put("failed_share", share);
    evidence.put("failed_by_status", statuses);
    evidence.put("peak_minute", peakAt);
    evidence.put("peak_minute_attempts", peak);
    evidence.put("calls_retried", retried);
    evidence.put("share_retried", shareRetried);
    evidence.put("max_attempts_seen", maxAttempts);
    evidence.put("calls_failed_after_all_attempts", exhausted);
    evidence.put("billed_pico_usd", billed);
    evidence.put("billed_known_attempts", billedKnown);
    evidence.put("billed_unknown_attempts", billedUnknown);
    evidence.put("monthly_saving_pico_usd", monthly);
    if (current != null) {
      evidence.put("failing_model", current);
    }

    String title = count(failed.size()) + " failed attempts (" + Dollars.percent(share) + " of calls), up to "
        + count(peak) + " in one minute; billed " + (billedKnown == 0 ? "unknown" : Dollars.of(monthly) + "/month")
        + (exhausted > 0 ? "; " + count(exhausted) + " calls ended in an error" : "");
    return List.of(new Finding(id(), calls.pattern(), title, monthly, arithmetic, evidence, rec, null));
  }

  /** {@code provider/model} the pattern runs on, else the one its failed attempts asked most. */
  private static String current(PatternCalls calls, Map<String, Integer> failedByModel) {
    if (calls.mainModel() != null && calls.mainProvider() != null) {
      return calls.mainProvider() + "/" + calls.mainModel();
    }
    return failedByModel.entrySet().stream()
        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(
            Comparator.reverseOrder())))
        .map(Map.Entry::getKey).orElse(null);
  }

  /**
   * The chat model of another configured provider closest in price below the failing one (the dearest whose
   * output costs no more: the same tier where there is one, not the smallest model), or null.
   */
  private static ModelPrice fallback(AuditContext context, String provider, ModelPrice current) {
    if (context.prices() == null) {
      return null;
    }
    Set<String> configured = PriceFigures.providers(context.providers());
    return context.prices().all().stream()
        .filter(r -> configured.contains(r.provider()) && !r.provider().equals(provider)
            && !r.provider().equals(current.provider()) && PriceFigures.chat(r)
            && r.output().compareTo(current.output()) <= 0)
        .max(Comparator.comparing(ModelPrice::output).thenComparing(ModelPrice::input)
            .thenComparing(ModelPrice::provider).thenComparing(ModelPrice::model))
        .orElse(null);
  }
}
