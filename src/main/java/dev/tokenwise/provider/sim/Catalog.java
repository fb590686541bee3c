package dev.tokenwise.provider.sim;

import dev.tokenwise.core.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the simulator knows, per dialect: those of the reference price table, the dated
 * snapshot ids the reference names, and any added at run time (known to both dialects).
 *
 * <p>Each model has a skill from 1 to 5 (see {@link Quality}): the frontier models 5, their cheaper
 * siblings less, a dated snapshot the same as its alias, a model added at run time 5 unless given
 * one. Within a family (the same vendor and generation), a dearer model never has less skill than a
 * cheaper one.
 */
final class Catalog {
  /**
   * One model. {@code answerId} is what responses report as {@code model}: the dated snapshot when
   * the reference names one. {@code cacheMinimum} is Anthropic's minimum cacheable prefix.
   * {@code skill} (1 to 5) is the hardest input the model answers right.
   */
  record Model(
      String id, String answerId, Dialect dialect, String owner, long created, String displayName,
      String createdAt, boolean reasoning, int cacheMinimum, int embeddingDims, int skill) {

    Model withSkill(int s) {
      return new Model(id, answerId, dialect, owner, created, displayName, createdAt, reasoning,
          cacheMinimum, embeddingDims, s);
    }
  }

  /**
   * The skill of each catalog model below the frontier, by alias; every other model has
   * {@link Quality#MAX}. The families, cheapest last: gpt-4o &gt; gpt-4o-mini; gpt-4.1 &gt; -mini &gt;
   * -nano; gpt-5.x &gt; gpt-5-mini &gt; gpt-5-nano; o3 &gt; o4-mini; Claude 4.x Opus and Sonnet &gt;
   * Haiku 4.5; Claude 5.x Fable, Opus and Sonnet &gt; Haiku 5.5; Claude Haiku 3.5 alone; Gemini 2.5
   * Pro &gt; Flash &gt; Flash-Lite; Llama 3.3 70B; Llama 3.1 70B &gt; 8B; DeepSeek's reasoner and chat;
   * DeepSeek v4 Pro &gt; Flash; Mistral Large &gt; Small.
   */
  private static final Map<String, Integer> SKILL = Map.ofEntries(
      Map.entry("gpt-4.1-mini", 4), Map.entry("gpt-5-mini", 4), Map.entry("o4-mini", 4),
      Map.entry("claude-haiku-4-5", 4), Map.entry("claude-haiku-5-5", 4), Map.entry("deepseek-chat", 4),
      Map.entry("llama-3.3-70b-versatile", 4), Map.entry("gemini-2.5-flash", 4),
      Map.entry("gpt-4o-mini", 3), Map.entry("claude-3-5-haiku-20241022", 3),
      Map.entry("llama-3.1-70b-versatile", 3), Map.entry("mistral-small-latest", 3),
      Map.entry("deepseek-flash", 3),
      Map.entry("gpt-4.1-nano", 2), Map.entry("gpt-5-nano", 2), Map.entry("gemini-2.5-flash-lite", 2),
      Map.entry("llama-3.1-8b-instant", 1));

  private static final long DEFAULT_CREATED = 1735689600L; // 2025-01-01, when the reference has no date

  private final Map<String, Model> openAi = new ConcurrentHashMap<>();
  private final Map<String, Model> anthropic = new ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();

  Catalog() {
    openAi("gpt-4o", "gpt-4o-2024-08-06", "system", DEFAULT_CREATED);
    openAi("gpt-4o-mini", "gpt-4o-mini-2024-07-18", "system", 1721172741L);
    openAi("gpt-4.1", "gpt-4.1-2025-04-14", "system", DEFAULT_CREATED);
    openAi("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", "system", 1744316542L);
    openAi("gpt-4.1-nano", null, "system", DEFAULT_CREATED);
    for (String id : List.of("gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o4-mini", "gpt-5.4", "gpt-5.5")) {
      openAi(id, null, "system", DEFAULT_CREATED);
    }
    embedding("text-embedding-3-small", 1536);
    embedding("text-embedding-3-large", 3072);
    embedding("text-embedding-ada-002", 1536);
    for (String id : List.of("gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite")) {
      openAi(id, null, "google", DEFAULT_CREATED);
    }
    for (String id : List.of("llama-3.1-8b-instant", "llama-3.3-70b-versatile", "llama-3.1-70b-versatile")) {
      openAi(id, null, "groq", DEFAULT_CREATED);
    }
    for (String id : List.of("deepseek-chat", "deepseek-reasoner", "deepseek-flash", "deepseek-v4-pro")) {
      openAi(id, null, "deepseek", DEFAULT_CREATED);
    }
    for (String id : List.of("mistral-small-latest", "mistral-large-latest")) {
      openAi(id, null, "mistral", DEFAULT_CREATED);
    }
    // Anthropic: alias, pinned id (null when the alias is the id), display name, cache minimum.
    claude("claude-opus-5-5", null, "Claude Opus 5.5", 512);
    claude("claude-opus-5", null, "Claude Opus 5", 512);
    claude("claude-sonnet-5-5", null, "Claude Sonnet 5.5", 1024);
    claude("claude-sonnet-5", null, "Claude Sonnet 5", 1024);
    claude("claude-haiku-5-5", null, "Claude Haiku 5.5", 1024);
    claude("claude-fable-5-1", null, "Claude Fable 5.1", 512);
    claude("claude-fable-5", null, "Claude Fable 5", 512);
    claude("claude-opus-4-8", null, "Claude Opus 4.8", 1024);
    claude("claude-opus-4-7", null, "Claude Opus 4.7", 2048);
    claude("claude-opus-4-6", null, "Claude Opus 4.6", 4096);
    claude("claude-sonnet-4-6", null, "Claude Sonnet 4.6", 1024);
    claude("claude-opus-4-5", "claude-opus-4-5-20251101", "Claude Opus 4.5", 4096);
    claude("claude-haiku-4-5", "claude-haiku-4-5-20251001", "Claude Haiku 4.5", 4096);
    claude("claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", 1024);
    claude("claude-opus-4-1", "claude-opus-4-1-20250805", "Claude Opus 4.1", 1024);
    claude("claude-opus-4-0", "claude-opus-4-20250514", "Claude Opus 4", 1024);
    claude("claude-sonnet-4-0", "claude-sonnet-4-20250514", "Claude Sonnet 4", 1024);
    claude("claude-3-5-haiku-20241022", null, "Claude Haiku 3.5", 2048);
  }

  /** The model by the id a request asked for, or null when the dialect does not know it. */
  Model find(Dialect dialect, String id) {
    return (dialect == Dialect.OPENAI ? openAi : anthropic).get(id);
  }

  /** Every model of a dialect, in a stable order, each once (aliases before their snapshots). */
  List<Model> list(Dialect dialect) {
    Map<String, Model> map = dialect == Dialect.OPENAI ? openAi : anthropic;
    List<Model> out = new ArrayList<>();
    synchronized (order) {
      for (String id : order) {
        Model m = map.get(id);
        if (m != null) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** Makes these ids known to both dialects, answering under their own name, with full skill. */
  void add(String... ids) {
    for (String id : ids) {
      checkId(id);
      openAi.computeIfAbsent(id, k -> added(k, Dialect.OPENAI, Quality.MAX));
      anthropic.computeIfAbsent(id, k -> added(k, Dialect.ANTHROPIC, Quality.MAX));
    }
  }

  /**
   * Makes this id known to both dialects with this skill (1 to 5). A model already known, from the
   * catalog or added before, keeps everything else, its dialects included, and takes the new skill
   * (that id only, not its alias or snapshots).
   */
  synchronized void add(String id, int skill) {
    checkId(id);
    Quality.checkLevel(skill, "skill");
    if (openAi.containsKey(id) || anthropic.containsKey(id)) {
      openAi.computeIfPresent(id, (k, m) -> m.withSkill(skill));
      anthropic.computeIfPresent(id, (k, m) -> m.withSkill(skill));
    } else {
      openAi.put(id, added(id, Dialect.OPENAI, skill));
      anthropic.put(id, added(id, Dialect.ANTHROPIC, skill));
    }
  }

  private static void checkId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
  }

  private Model added(String id, Dialect dialect, int skill) {
    return remember(new Model(id, id, dialect, "user", DEFAULT_CREATED, id, "2025-01-01T00:00:00Z",
        false, 1024, 0, skill));
  }

  private void openAi(String id, String snapshot, String owner, long created) {
    boolean reasoning = id.startsWith("o3") || id.startsWith("o4-mini") || id.startsWith("gpt-5");
    String answer = snapshot == null ? id : snapshot;
    int skill = skill(id);
    put(openAi, new Model(id, answer, Dialect.OPENAI, owner, created, id, null, reasoning, 1024, 0,
        skill));
    if (snapshot != null) {
      put(openAi, new Model(snapshot, snapshot, Dialect.OPENAI, owner, created, snapshot, null,
          reasoning, 1024, 0, skill));
    }
  }

  private void embedding(String id, int dims) {
    put(openAi, new Model(id, id, Dialect.OPENAI, "system", DEFAULT_CREATED, id, null, false, 0, dims,
        Quality.MAX));
  }

  private void claude(String id, String pinned, String name, int cacheMinimum) {
    String answer = pinned == null ? id : pinned;
    String createdAt = createdAt(id, pinned);
    long created = java.time.Instant.parse(createdAt).getEpochSecond();
    int skill = skill(id);
    put(anthropic, new Model(id, answer, Dialect.ANTHROPIC, "anthropic", created, name, createdAt,
        false, cacheMinimum, 0, skill));
    if (pinned != null) {
      put(anthropic, new Model(pinned, pinned, Dialect.ANTHROPIC, "anthropic", created, name,
          createdAt, false, cacheMinimum, 0, skill));
    }
  }

  private static int skill(String alias) {
    return SKILL.getOrDefault(alias, Quality.MAX);
  }

  /** The release date the reference gives, else the date in the pinned id, else a fixed default. */
  private static String createdAt(String id, String pinned) {
    if (id.equals("claude-sonnet-4-6")) {
      return "2026-02-17T00:00:00Z";
    }
    if (id.equals("claude-haiku-4-5")) {
      return "2025-10-15T00:00:00Z";
    }
    String dated = pinned != null ? pinned : id;
    var m = java.util.regex.Pattern.compile("-(\\d{4})(\\d{2})(\\d{2})$").matcher(dated);
    return m.find() ? m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T00:00:00Z"
        : "2025-01-01T00:00:00Z";
  }

  private void put(Map<String, Model> map, Model m) {
    map.put(m.id(), remember(m));
  }

  private Model remember(Model m) {
    synchronized (order) {
      if (!order.contains(m.id())) {
        order.add(m.id());
      }
    }
    return m;
  }

  /** An Anthropic {@code ModelInfo} object. */
  static Map<String, Object> anthropicInfo(Model m) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("type", "model");
    info.put("id", m.id());
    info.put("display_name", m.displayName());
    info.put("created_at", m.createdAt());
    // The reference lists 1M-token context for Sonnet 4.6 and Opus 4.6; 200K is the long-standing size.
    boolean big = m.id().equals("claude-sonnet-4-6") || m.id().equals("claude-opus-4-6");
    info.put("max_input_tokens", big ? 1_000_000 : 200_000);
    info.put("max_tokens", big ? 128_000 : 64_000);
    return info;
  }
}
