package dev.tokenwise.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code policies}: checks the tactic names and {@code match} keys of each policy (so a typo is
 * caught with its line) and keeps the rest as plain values for the policy package to interpret.
 * Scalars become String, Boolean, Integer/Long/BigInteger, Double or null, as YAML's core schema types
 * them after {@code ${ENV}} substitution.
 */
final class PolicyReader {
  static final List<String> POLICY_KEYS = List.of(
      "match", "route", "max_tokens", "context", "prompt_cache", "early_exit", "cache", "fallback", "defer",
      "shadow");
  static final List<String> MATCH_KEYS = List.of("tag", "pattern", "model", "provider");
  static final List<String> CACHE_KEYS = List.of("exact", "semantic", "ttl", "any_temperature", "tool_calls");
  static final List<String> SHADOW_KEYS = List.of("model", "sample", "budget_usd_per_day", "scorer");
  /** The scorers a shadow may name; {@code judge:MODEL} names the judge's model as well. */
  static final List<String> SHADOW_SCORERS = List.of("exact", "json", "similarity", "judge");
  /** A cached answer may live at most this long: longer, and the world it describes has moved on. */
  private static final java.time.Duration MAX_TTL = java.time.Duration.ofDays(30);

  private final Problems problems;
  private final java.util.Set<String> providers;
  private final Map<String, String> models;
  private final ScalarResolver resolver = new CoreSchema().getScalarResolver();

  /**
   * @param providers the names of the configured providers
   * @param models the config's {@code models:} entries, model to provider
   */
  PolicyReader(Problems problems, java.util.Set<String> providers, Map<String, String> models) {
    this.problems = problems;
    this.providers = providers;
    this.models = models;
  }

  List<Map<String, Object>> read(Section root) {
    List<Map<String, Object>> out = new ArrayList<>();
    int index = 0;
    for (Node item : root.items("policies")) {
      Section s = Section.of("policies[" + index++ + "]", item, problems, root.env());
      s.allowOnly(POLICY_KEYS);
      if (s.has("match")) {
        Section m = s.section("match");
        m.allowOnly(MATCH_KEYS);
      }
      if (s.has("cache")) {
        checkCache(s);
      }
      if (s.has("fallback")) {
        checkFallback(s);
      }
      if (s.has("route")) {
        checkRoute(s);
      }
      if (s.has("shadow")) {
        checkShadow(s);
      }
      if (item instanceof MappingNode) {
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = (Map<String, Object>) value(item, s.path(), s);
        out.add(policy);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The response cache settings: known keys, a positive TTL, a threshold in (0, 1]. */
  private static void checkCache(Section policy) {
    Node node = policy.entries().stream().filter(e -> e.key().equals("cache")).findFirst().orElseThrow().value();
    if (!(node instanceof MappingNode)) {
      policy.error("cache", policy.child("cache") + " must be a mapping like { exact: true, ttl: 1h }, got "
          + Section.kind(node));
      return;
    }
    Section c = policy.section("cache");
    c.allowOnly(CACHE_KEYS);
    c.bool("exact");
    c.bool("any_temperature");
    c.bool("tool_calls");
    java.time.Duration ttl = c.duration("ttl");
    if (ttl != null && (ttl.isZero() || ttl.compareTo(MAX_TTL) > 0)) {
      c.error("ttl", c.child("ttl") + " must be more than 0 and at most 30d, got " + ttl);
    }
    Node semantic = c.entries().stream().filter(e -> e.key().equals("semantic")).map(Section.Entry::value)
        .findFirst().orElse(null);
    if (semantic instanceof MappingNode) {
      Section sem = c.section("semantic");
      sem.allowOnly(List.of("threshold"));
      java.math.BigDecimal t = sem.decimal("threshold");
      if (t != null && (t.signum() <= 0 || t.compareTo(java.math.BigDecimal.ONE) > 0)) {
        sem.error("threshold", sem.child("threshold") + " must be more than 0 and at most 1, got " + t);
      }
    } else if (semantic != null && !Section.isNull(semantic)) {
      c.bool("semantic");
    }
  }

  /** {@code route: { model: M }}: one model that a configured provider serves. */
  private void checkRoute(Section policy) {
    if (!(entry(policy, "route") instanceof MappingNode)) {
      policy.error("route", policy.child("route") + " must be a mapping like { model: gpt-4o-mini }, got "
          + Section.kind(entry(policy, "route")));
      return;
    }
    Section r = policy.section("route");
    r.allowOnly(List.of("model"));
    String model = r.text("model");
    if (model == null) {
      if (!r.has("model")) {
        r.error("model", r.child("model") + " is missing: name the model the calls run on");
      }
      return;
    }
    String problem = model.isBlank() ? r.child("model") + " must be a model name, got an empty value"
        : unroutable(r.child("model"), model.strip());
    if (problem != null) {
      r.error("model", problem);
    }
  }

  /**
   * {@code shadow: { model: M, sample: 5%, budget_usd_per_day: N, scorer: S }}: a candidate model some
   * configured provider serves, a share in (0, 1], a daily cap (required: a shadow without one could spend
   * without bound) and a known scorer.
   */
  private void checkShadow(Section policy) {
    Node node = entry(policy, "shadow");
    if (!(node instanceof MappingNode)) {
      policy.error("shadow", policy.child("shadow") + " must be a mapping like { model: gpt-4o-mini, sample: 5%,"
          + " budget_usd_per_day: 2 }, got " + Section.kind(node));
      return;
    }
    Section sh = policy.section("shadow");
    sh.allowOnly(SHADOW_KEYS);
    String model = sh.text("model");
    if (model == null) {
      if (!sh.has("model")) {
        sh.error("model", sh.child("model") + " is missing: name the candidate model the sampled calls are copied to");
      }
    } else {
      String problem = model.isBlank() ? sh.child("model") + " must be a model name, got an empty value"
          : unroutable(sh.child("model"), model.strip());
      if (problem != null) {
        sh.error("model", problem);
      }
    }
    String sample = sh.text("sample");
    if (sample != null) {
      java.math.BigDecimal share = Units.share(sample);
      if (share == null || share.signum() <= 0 || share.compareTo(java.math.BigDecimal.ONE) > 0) {
        sh.error("sample", sh.child("sample") + " must be a share of calls above 0 and at most all of them, as a"
            + " percentage (5%) or a fraction (0.05), got " + Section.quote(sample.strip()));
      }
    }
    if (!sh.has("budget_usd_per_day")) {
      sh.error("budget_usd_per_day", sh.child("budget_usd_per_day") + " is missing: a shadow test pays for every"
          + " call it copies, so set a daily cap in USD (e.g. budget_usd_per_day: 2); shadow calls stop for the"
          + " rest of the UTC day once it is spent");
    } else {
      java.math.BigDecimal budget = sh.decimal("budget_usd_per_day");
      if (budget != null && budget.movePointRight(12).compareTo(java.math.BigDecimal.ONE) < 0) {
        sh.error("budget_usd_per_day", sh.child("budget_usd_per_day") + " must be more than 0 USD, got "
            + budget.toPlainString());
      }
    }
    String scorer = sh.text("scorer");
    if (scorer != null) {
      checkScorer(sh, scorer.strip());
    }
  }

  /** {@code exact}, {@code json}, {@code similarity}, {@code judge} or {@code judge:MODEL} of a configured provider. */
  private void checkScorer(Section sh, String scorer) {
    String at = sh.child("scorer");
    if (scorer.startsWith("judge:")) {
      String judge = scorer.substring("judge:".length()).strip();
      String problem = judge.isEmpty() ? at + " names no model after 'judge:'; write judge:MODEL or judge"
          : unroutable(at, judge);
      if (problem != null) {
        sh.error("scorer", problem);
      }
      return;
    }
    if (!SHADOW_SCORERS.contains(scorer)) {
      String hint = Problems.closest(scorer, SHADOW_SCORERS);
      sh.error("scorer", at + " must be one of exact, json, similarity, judge or judge:MODEL, got "
          + Section.quote(scorer) + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
    }
  }

  /** The fallback chain: a list of distinct model names, each served by a configured provider. */
  private void checkFallback(Section policy) {
    String at = policy.child("fallback");
    Node node = entry(policy, "fallback");
    if (!(node instanceof SequenceNode seq)) {
      policy.error("fallback", at + " must be a list of models like [groq/llama-3.3-70b-versatile,"
          + " claude-haiku-4-5], not " + Section.kind(node));
      return;
    }
    if (seq.getValue().isEmpty()) {
      policy.error("fallback", at + " must name at least one model, e.g. [groq/llama-3.3-70b-versatile]");
      return;
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    int i = 0;
    for (Node item : seq.getValue()) {
      String where = at + "[" + i++ + "]";
      if (!(item instanceof ScalarNode)) {
        problems.error(Section.line(item), where + " must be a model name, not " + Section.kind(item));
        continue;
      }
      String model = Section.isNull(item) ? "" : policy.scalar(item, where, false);
      if (model == null) {
        continue; // an unset ${VAR}, already reported
      }
      model = model.strip();
      String problem = model.isEmpty() ? where + " must be a model name, got an empty value" : unroutable(where, model);
      if (problem == null && !seen.add(model)) {
        problem = where + " names " + Section.quote(model) + " a second time; each model is tried once per pass"
            + " of the chain";
      }
      if (problem != null) {
        problems.error(Section.line(item), problem);
      }
    }
  }

  /**
   * Why no configured provider would serve a model name (as {@code ModelCatalog} routes it: an explicit
   * {@code provider/model}, then {@code models:}, then the built-in families), or null when one would.
   */
  private String unroutable(String where, String model) {
    int slash = model.indexOf('/');
    if (slash > 0 && providers.contains(model.substring(0, slash))) {
      return slash == model.length() - 1 ? where + " names provider '" + model.substring(0, slash)
          + "' but no model after the slash" : null;
    }
    if (models.containsKey(model)) {
      return null;
    }
    String family = ModelFamilies.providerOf(model);
    if (family != null) {
      return providers.contains(family) ? null : where + " names " + Section.quote(model) + ", whose provider '"
          + family + "' is not configured";
    }
    if (slash > 0) {
      return ConfigReader.unknownProvider(where, model.substring(0, slash), providers);
    }
    return where + " names " + Section.quote(model) + ", which no provider serves; write PROVIDER/MODEL (e.g."
        + " groq/llama-3.3-70b-versatile) or map the model under 'models:'";
  }

  private static Node entry(Section s, String key) {
    return s.entries().stream().filter(e -> e.key().equals(key)).map(Section.Entry::value).findFirst().orElse(null);
  }

  private Object value(Node node, String at, Section s) {
    if (node instanceof MappingNode m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          map.put(k.getValue(), value(t.getValueNode(), at + "." + k.getValue(), s));
        }
      }
      return Collections.unmodifiableMap(map);
    }
    if (node instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      int i = 0;
      for (Node n : seq.getValue()) {
        list.add(value(n, at + "[" + i++ + "]", s));
      }
      return Collections.unmodifiableList(list);
    }
    ScalarNode scalar = (ScalarNode) node;
    if (Section.isNull(scalar)) {
      return null;
    }
    String text = s.scalar(scalar, at, false);
    if (text == null) {
      return null;
    }
    Tag tag = scalar.isPlain() ? resolver.resolve(text, true) : Tag.STR;
    return typed(text, tag);
  }

  private static Object typed(String text, Tag tag) {
    try {
      if (Tag.BOOL.equals(tag)) {
        return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
      }
      if (Tag.INT.equals(tag) && text.matches("[-+]?[0-9]+")) {
        BigInteger big = new BigInteger(text);
        if (big.bitLength() < 32) {
          return big.intValue();
        }
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      if (Tag.FLOAT.equals(tag) && text.matches("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?")) {
        return Double.valueOf(text);
      }
      if (Tag.NULL.equals(tag)) {
        return null;
      }
    } catch (NumberFormatException e) {
      return text;
    }
    return text;
  }
}
