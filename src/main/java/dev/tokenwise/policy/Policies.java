package dev.tokenwise.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The config's policies in order; the first that matches a call applies to it. */
public final class Policies {
  private final List<Policy> list;

  private Policies(List<Policy> list) {
    this.list = List.copyOf(list);
  }

  /** Policies from the config's {@code policies} list. */
  public static Policies of(List<Map<String, Object>> raw) {
    List<Policy> list = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      list.add(Policy.of("policies[" + i + "]", raw.get(i)));
    }
    return new Policies(list);
  }

  /** The first policy matching a call, if any. */
  Optional<Policy> match(String tag, String pattern, String model, String provider) {
    for (Policy p : list) {
      if (p.matches(tag, pattern, model, provider)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether a policy turns the semantic cache on (its embedding model is then worth loading ahead). */
  public boolean usesSemanticCache() {
    return list.stream().map(p -> CacheSettings.of(p.tactic(CacheLookup.TACTIC), 1f))
        .anyMatch(s -> s != null && s.semantic());
  }

  /** Whether a policy runs a shadow test, so that answered calls need to be offered to it at all. */
  public boolean usesShadow() {
    return list.stream().anyMatch(p -> p.shadow() != null);
  }

  /** The policies that run a shadow test, in config order. */
  public List<Policy> shadowing() {
    return list.stream().filter(p -> p.shadow() != null).toList();
  }

  /**
   * The shadow settings that copy a pattern's calls to a candidate model: those of the first policy with
   * a shadow on that model whose {@code tag} or {@code pattern} match key, if it has one, names the
   * pattern (its other match keys are not known from the pattern alone); null when none does.
   */
  public ShadowSettings shadowOf(String pattern, String candidate) {
    for (Policy p : list) {
      if (p.shadow() != null && p.shadow().model().equals(candidate)
          && (p.tag() == null || p.tag().equals(pattern)) && (p.pattern() == null || p.pattern().equals(pattern))) {
        return p.shadow();
      }
    }
    return null;
  }

  /** How many policies there are. */
  public int size() {
    return list.size();
  }
}
