package dev.tokenwise.audit;

import dev.tokenwise.config.Units;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether a config already carries a recommendation: the first policy matching the pattern's calls has
 * the key with the value. Policies are read as the config loader keeps them (plain maps, {@code ${ENV}}
 * already replaced), so what is compared is what the gateway puts in force.
 *
 * <p>A map is carried when each of its entries is (other entries may be there too); scalars are the
 * same when their YAML text is, or when both are the same number ({@code 1} and {@code 1.0}) or the
 * same duration ({@code 60m} and {@code 1h}); {@code true} is carried by a mapping, since a mapping
 * turns a switch on with its own settings ({@code semantic: { threshold: 0.9 }} for
 * {@code semantic: true}).
 */
public final class Applied {
  private Applied() {}

  /** Whether the first policy matching the pattern's calls sets {@code key} to {@code value}. */
  public static boolean applied(List<Map<String, Object>> policies, PatternFacts facts, String key, Object value) {
    int i = firstMatch(policies, facts);
    return i >= 0 && policies.get(i).containsKey(key) && satisfies(policies.get(i).get(key), value);
  }

  /** Whether {@code recommendation} is already in the config, for the calls {@code facts} describes. */
  public static boolean applied(List<Map<String, Object>> policies, PatternFacts facts, Recommendation recommendation) {
    return applied(policies, facts, recommendation.key(), recommendation.value());
  }

  /** The index of the first policy that matches the pattern's calls, or -1. */
  static int firstMatch(List<Map<String, Object>> policies, PatternFacts facts) {
    for (int i = 0; i < policies.size(); i++) {
      if (matches(policies.get(i), facts)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether a policy matches the calls: each match key present must fit ({@code tag} and {@code pattern}
   * the pattern, {@code model} and {@code provider} the calls' own); an absent or empty one fits all.
   */
  static boolean matches(Map<String, Object> policy, PatternFacts facts) {
    if (!(policy.get("match") instanceof Map<?, ?> match)) {
      return true;
    }
    for (Map.Entry<?, ?> e : match.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String wanted = switch (String.valueOf(e.getKey())) {
        case "tag", "pattern" -> facts.pattern();
        case "model" -> facts.model();
        case "provider" -> facts.provider();
        default -> null;
      };
      if (!e.getValue().toString().equals(wanted)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code existing} (as loaded) already gives what {@code wanted} asks for. */
  static boolean satisfies(Object existing, Object wanted) {
    if (wanted instanceof Map<?, ?> w) {
      if (!(existing instanceof Map<?, ?> e)) {
        return false;
      }
      for (Map.Entry<?, ?> entry : w.entrySet()) {
        if (!e.containsKey(entry.getKey()) || !satisfies(e.get(entry.getKey()), entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted instanceof List<?> w) {
      if (!(existing instanceof List<?> e) || e.size() != w.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!satisfies(e.get(i), w.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (Boolean.TRUE.equals(wanted) && existing instanceof Map<?, ?>) {
      return true;
    }
    if (wanted == null || existing == null) {
      return wanted == existing;
    }
    if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
      return false;
    }
    return sameScalar(existing.toString(), text(wanted));
  }

  private static String text(Object scalar) {
    if (scalar instanceof Double || scalar instanceof Float) {
      return BigDecimal.valueOf(((Number) scalar).doubleValue()).toPlainString();
    }
    return scalar instanceof BigDecimal d ? d.toPlainString() : scalar.toString();
  }

  private static boolean sameScalar(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    Duration d = Units.duration(a);
    return d != null && d.equals(Units.duration(b));
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
