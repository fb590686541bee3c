package dev.tokenwise.audit;

/**
 * What a finding proposes: one tactic's setting in the policy of one pattern, which {@code tokenwise
 * apply ID} writes into the config.
 *
 * @param id stable across audits of the same log: the rule and the pattern, {@code cache-exact/faq-bot}
 * @param pattern the pattern the policy matches ({@code match: { pattern: … }})
 * @param key the policy key it sets ({@code cache}, {@code max_tokens}, {@code route}, …)
 * @param value the setting, as YAML would read it: a String, Number, Boolean, List or Map
 * @param changesAnswers false only for a tactic that cannot change what the client gets back (these are
 *     what {@code apply --all-safe} writes)
 * @param blockedBy null when {@code apply} can write it; else why not (shown instead of applying)
 */
public record Recommendation(
    String id, String pattern, String key, Object value, boolean changesAnswers, String blockedBy) {

  /** The id of a rule's recommendation for a pattern. */
  public static String id(String rule, String pattern) {
    return rule + "/" + pattern;
  }

  /** Whether {@code apply --all-safe} writes it. */
  public boolean safe() {
    return !changesAnswers && blockedBy == null;
  }
}
