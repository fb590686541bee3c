package dev.tokenwise.audit.rules;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Period;
import dev.tokenwise.core.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the model, cap, context and retries rules share: which catalog rows are chat models, tokens priced
 * at one column of a row, and the numbers of an arithmetic line written the same way in each.
 */
final class PriceFigures {
  /** Words in a model id that mark a model no chat call can be routed to. */
  static final List<String> NOT_CHAT =
      List.of("embed", "tts", "whisper", "moderation", "image", "dall-e", "realtime", "audio", "search");
  private static final Pattern DATE_SUFFIX = Pattern.compile("^(.+?)-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
  private static final BigDecimal DAY_MS = BigDecimal.valueOf(86_400_000L);

  private PriceFigures() {}

  /** Whether a row prices a chat model: both input and output priced, and no id of another kind of model. */
  static boolean chat(ModelPrice row) {
    if (row == null || row.input() == null || row.output() == null) {
      return false;
    }
    for (String word : NOT_CHAT) {
      if (row.model().contains(word)) {
        return false;
      }
    }
    return true;
  }

  /** A model id in lower case without a trailing snapshot date: {@code gpt-4o-2024-08-06} is {@code gpt-4o}. */
  static String baseId(String model) {
    String id = model.toLowerCase(Locale.ROOT);
    Matcher m = DATE_SUFFIX.matcher(id);
    return m.matches() ? m.group(1) : id;
  }

  /** The configured provider names in lower case; none when the context names none. */
  static Set<String> providers(Set<String> configured) {
    Set<String> out = new HashSet<>();
    if (configured != null) {
      for (String p : configured) {
        if (p != null) {
          out.add(p.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /** The price row of a call's model, or null when the catalog has none. */
  static ModelPrice price(PriceTable prices, String provider, String model) {
    if (prices == null) {
      return null;
    }
    Optional<ModelPrice> row = prices.find(provider, model);
    return row.orElse(null);
  }

  /** Output tokens at a row's standard output price, in picodollars; 0 when it has none. */
  static long outputPico(long tokens, ModelPrice row) {
    return Cost.picoUsd(new Usage(0, 0, 0, 0, tokens, 0, false), row, Tier.STANDARD).orElse(0L);
  }

  /** Uncached input tokens at a row's standard input price, in picodollars; 0 when it has none. */
  static long inputPico(long tokens, ModelPrice row) {
    return Cost.picoUsd(new Usage(tokens, 0, 0, 0, 0, 0, false), row, Tier.STANDARD).orElse(0L);
  }

  /** A whole number with thousands separators: {@code 100,000}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A catalog price in USD per 1M tokens with at least two decimals: {@code $2.50}, {@code $0.075}. */
  static String perMillion(BigDecimal usd) {
    if (usd == null) {
      return "no price";
    }
    BigDecimal p = usd.stripTrailingZeros();
    return "$" + p.setScale(Math.max(2, p.scale()), RoundingMode.UNNECESSARY).toPlainString();
  }

  /** The length of a period in days, as few decimals as it needs: {@code 7 days}, {@code 0.3 days}. */
  static String days(Period period) {
    BigDecimal d = BigDecimal.valueOf(period.length().toMillis()).divide(DAY_MS, 3, RoundingMode.HALF_UP)
        .stripTrailingZeros();
    String text = d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    return text + (text.equals("1") ? " day" : " days");
  }

  /** The line that takes a period's figure to a month: {@code $3.30 in 7 days × 30 / 7 = $14.14 per month}. */
  static String monthly(String what, long periodPico, long monthlyPico, Period period) {
    String d = days(period);
    String n = d.substring(0, d.indexOf(' '));
    return what + " " + Dollars.of(periodPico) + " in " + d + " read × 30 / " + n + " = " + Dollars.of(monthlyPico)
        + " per month";
  }
}
