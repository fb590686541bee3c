package dev.tokenwise.policy;

import java.time.Duration;
import java.util.Map;

/**
 * A policy's {@code cache} tactic, as the config loader checked it.
 *
 * @param exact whether identical calls are answered from the cache
 * @param semantic whether paraphrases of the last user message are too
 * @param threshold the cosine similarity a paraphrase needs, before the lexical gate
 * @param ttl how long an answer is served
 * @param anyTemperature whether sampled answers (temperature above 0, no seed) are cached as well
 * @param toolCalls whether answers that call a tool are cached
 */
record CacheSettings(boolean exact, boolean semantic, float threshold, Duration ttl, boolean anyTemperature,
    boolean toolCalls) {
  static final Duration DEFAULT_TTL = Duration.ofHours(1);

  /** The settings of a policy, or null when it leaves the cache off. */
  static CacheSettings of(Object raw, float defaultThreshold) {
    if (!(raw instanceof Map<?, ?> m)) {
      return null;
    }
    Object sem = m.get("semantic");
    boolean semantic = sem instanceof Map<?, ?> || Boolean.TRUE.equals(sem);
    float threshold = defaultThreshold;
    if (sem instanceof Map<?, ?> s && s.get("threshold") instanceof Number n) {
      threshold = n.floatValue();
    }
    boolean exact = !Boolean.FALSE.equals(m.get("exact")) || semantic;
    if (!exact) {
      return null;
    }
    Duration ttl = DEFAULT_TTL;
    if (m.get("ttl") != null) {
      Duration parsed = dev.tokenwise.config.Units.duration(m.get("ttl").toString());
      ttl = parsed == null ? DEFAULT_TTL : parsed;
    }
    return new CacheSettings(true, semantic, threshold, ttl, Boolean.TRUE.equals(m.get("any_temperature")),
        Boolean.TRUE.equals(m.get("tool_calls")));
  }
}
