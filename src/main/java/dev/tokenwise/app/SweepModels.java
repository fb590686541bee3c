package dev.tokenwise.app;

import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.config.Config;
import dev.tokenwise.store.RequestRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a sweep names and reaches its models: {@code provider/model} for a model of a provider the catalog
 * would not pick by its name, the key each call carries, which providers it can call, its default judge.
 */
final class SweepModels {
  private SweepModels() {}

  /** The model most of the rows ran on (a dated snapshot named by its alias when the catalog prices it). */
  static String inUse(List<RequestRecord> rows, PriceTable prices) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RequestRecord r : rows) {
      String model = r.modelUsed() != null ? r.modelUsed() : r.modelRequested();
      if (model == null || r.provider() == null) {
        continue;
      }
      String alias = model.replaceFirst("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$", "");
      if (alias.equals(model) || prices.find(r.provider(), alias).isEmpty()) {
        alias = model; // a dated id the catalog prices as it is (claude-3-5-haiku-20241022)
      }
      String name = defaultProviderOf(alias).equals(r.provider()) ? alias : r.provider() + "/" + alias;
      counts.merge(name, 1, Integer::sum);
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  /** The judge when none is named: a strong model of a configured provider other than the one in use. */
  static String defaultJudge(Config config, Map<String, String> env, String current) {
    Set<String> reachable = reachable(config, env);
    for (String m : List.of("gpt-4.1", "claude-sonnet-4-5", "gpt-4o")) {
      if (!m.equals(bare(current)) && reachable.contains(defaultProviderOf(m))) {
        return m;
      }
    }
    return current;
  }

  /**
   * The client key a sweep's call carries for a provider the config holds no key for: the provider's
   * usual environment variable ({@code OPENAI_API_KEY}, {@code GROQ_API_KEY}, …); none when the config has
   * one (the gateway sends its own).
   */
  static Map<String, String> keyFor(Config config, Map<String, String> env, String model) {
    String provider = providerOf(model);
    var pc = config.providers().get(provider);
    if (pc != null && pc.apiKey() != null) {
      return Map.of();
    }
    String key = env.get(provider.toUpperCase(Locale.ROOT) + "_API_KEY");
    if (key == null || key.isBlank()) {
      return Map.of();
    }
    return provider.equals("anthropic") ? Map.of("x-api-key", key) : Map.of("authorization", "Bearer " + key);
  }

  /**
   * The configured providers a sweep can call: those with a key in the config or in their usual
   * environment variable (a provider that would answer every call with 401 is no candidate).
   */
  static Set<String> reachable(Config config, Map<String, String> env) {
    Set<String> out = new java.util.TreeSet<>();
    config.providers().forEach((name, pc) -> {
      String key = env.get(name.toUpperCase(Locale.ROOT) + "_API_KEY");
      if (pc.apiKey() != null || key != null && !key.isBlank()) {
        out.add(name);
      }
    });
    return out;
  }

  /** The provider of a sweep's model name: {@code groq/llama-…} names it; else the catalog's own. */
  static String providerOf(String model) {
    int slash = model.indexOf('/');
    return slash > 0 ? model.substring(0, slash) : defaultProviderOf(model);
  }

  static String defaultProviderOf(String model) {
    return model.startsWith("claude") ? "anthropic" : "openai";
  }

  static String bare(String model) {
    int slash = model.indexOf('/');
    return slash > 0 ? model.substring(slash + 1) : model;
  }

  static Optional<ModelPrice> priceOf(PriceTable prices, String model) {
    return prices.find(providerOf(model), bare(model));
  }
}
