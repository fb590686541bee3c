package dev.tokenwise.policy;

import java.util.Map;

/**
 * One policy of the config: which calls it matches and the tactics it applies to them. A match key that
 * is absent matches every call; all the present ones must match.
 *
 * @param name where it stands in the config ({@code policies[2]}), for traces
 * @param tag the {@code X-Tokenwise-Tag} it matches, or null
 * @param pattern the call pattern it matches (a tag or a fingerprint), or null
 * @param model the model the client asked for, or null
 * @param provider the provider of that model, or null
 * @param routeModel the model the call runs on instead ({@code route.model}), or null
 * @param shadow the shadow test of its calls ({@code shadow}), or null
 */
public record Policy(
    String name, String tag, String pattern, String model, String provider, String routeModel,
    Map<String, Object> raw, ShadowSettings shadow) {

  /** A policy whose shadow test, if any, is read from {@code raw}. */
  public Policy(String name, String tag, String pattern, String model, String provider, String routeModel,
      Map<String, Object> raw) {
    this(name, tag, pattern, model, provider, routeModel, raw, ShadowSettings.of(raw.get("shadow")));
  }

  /** The settings of one tactic ({@code max_tokens}, {@code context}, …) as the config gave them, or null. */
  public Object tactic(String key) {
    return raw.get(key);
  }

  /** Reads one policy as the config loader kept it (plain maps, already checked for unknown keys). */
  static Policy of(String name, Map<String, Object> raw) {
    Map<?, ?> match = raw.get("match") instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> route = raw.get("route") instanceof Map<?, ?> r ? r : Map.of();
    return new Policy(name, text(match.get("tag")), text(match.get("pattern")), text(match.get("model")),
        text(match.get("provider")), text(route.get("model")), Map.copyOf(raw));
  }

  boolean matches(String callTag, String callPattern, String callModel, String callProvider) {
    return (tag == null || tag.equals(callTag))
        && (pattern == null || pattern.equals(callPattern))
        && (model == null || model.equals(callModel))
        && (provider == null || provider.equals(callProvider));
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }
}
