package dev.tokenwise.audit;

/**
 * The policy a {@link Recommendation} would add, as the YAML the reports show: one entry of
 * {@code policies:} that matches the pattern and sets the key, values in flow style, written as
 * {@code tokenwise apply} writes values ({@link YamlValues}).
 *
 * <pre>
 * - match: { pattern: faq-bot }
 *   cache: { exact: true, ttl: 1h }
 * </pre>
 */
public final class PolicyYaml {
  private PolicyYaml() {}

  /** The policy entry, two lines, each ending in a newline. */
  public static String of(Recommendation r) {
    return "- match: { pattern: " + YamlValues.scalar(r.pattern()) + " }\n  " + YamlValues.key(r.key()) + ": "
        + value(r.value()) + "\n";
  }

  /** A value in flow style: maps as {@code { k: v }}, lists as {@code [ a, b ]}. */
  static String value(Object v) {
    return YamlValues.flow(v);
  }
}
