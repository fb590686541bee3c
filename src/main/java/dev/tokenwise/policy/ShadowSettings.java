package dev.tokenwise.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * A policy's {@code shadow} tactic, as the config loader checked it: a share of the pattern's answered
 * calls is copied to a candidate model in the background, and the two answers are kept and scored.
 *
 * @param model the candidate model ({@code provider/model} or a name the catalog routes)
 * @param sample the share of calls copied, in (0, 1]
 * @param budgetPicoUsdPerDay what the copies (and a judge's scoring) may cost in one UTC day
 * @param scorer how the pairs are scored ({@code exact}, {@code json}, {@code similarity}, {@code judge},
 *     {@code judge:MODEL}), or null to choose from the production answers
 */
public record ShadowSettings(String model, BigDecimal sample, long budgetPicoUsdPerDay, String scorer) {
  /** The share copied when the policy names none. */
  public static final BigDecimal DEFAULT_SAMPLE = new BigDecimal("0.05");

  /** The settings of a policy, or null when it has no (usable) shadow. */
  static ShadowSettings of(Object raw) {
    if (!(raw instanceof Map<?, ?> m) || m.get("model") == null || m.get("model").toString().isBlank()
        || m.get("budget_usd_per_day") == null) {
      return null;
    }
    Object model = m.get("model");
    BigDecimal sample = DEFAULT_SAMPLE;
    if (m.get("sample") != null) {
      sample = dev.tokenwise.config.Units.share(m.get("sample").toString());
      if (sample == null || sample.signum() <= 0 || sample.compareTo(BigDecimal.ONE) > 0) {
        return null;
      }
    }
    long budget;
    try {
      BigDecimal pico = new BigDecimal(m.get("budget_usd_per_day").toString().strip()).movePointRight(12)
          .setScale(0, RoundingMode.DOWN);
      budget = pico.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : pico.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    if (budget <= 0) {
      return null;
    }
    Object scorer = m.get("scorer");
    return new ShadowSettings(model.toString().strip(), sample, budget,
        scorer == null || scorer.toString().isBlank() ? null : scorer.toString().strip());
  }
}
