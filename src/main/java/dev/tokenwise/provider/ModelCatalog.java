package dev.tokenwise.provider;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.config.ModelFamilies;
import dev.tokenwise.config.ProviderConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the provider of a model: an explicit {@code provider/model} name first, then the models the
 * config names, then the built-in families ({@code claude-*} is Anthropic's, {@code gpt-*} and the
 * o-series OpenAI's, …).
 */
public final class ModelCatalog {
  /**
   * Output ceilings of Anthropic model families (anthropic.md §2, §8), used as {@code max_tokens} when a
   * client of a dialect where it is optional sends none: the same "up to the model's limit" it meant.
   */
  private static final List<Map.Entry<String, Long>> MAX_OUTPUT = List.of(
      Map.entry("claude-opus-4-0", 32_000L),
      Map.entry("claude-opus-4-1", 32_000L),
      Map.entry("claude-opus-4", 64_000L),
      Map.entry("claude-sonnet-4-6", 128_000L),
      Map.entry("claude-sonnet-4", 64_000L),
      Map.entry("claude-haiku-4", 64_000L),
      Map.entry("claude-3", 8_192L),
      Map.entry("claude-", 64_000L));
  private static final long DEFAULT_MAX_OUTPUT = 8_192L;

  private final Map<String, ProviderConfig> providers;
  private final Map<String, String> models;

  /** A catalog over the configured providers and the config's model additions. */
  public ModelCatalog(Map<String, ProviderConfig> providers, Map<String, String> models) {
    this.providers = Map.copyOf(providers);
    this.models = Map.copyOf(models);
  }

  /** The output ceiling of a model, for a {@code max_tokens} the client left out. */
  public static long defaultMaxTokens(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Long> e : MAX_OUTPUT) {
      if (m.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return DEFAULT_MAX_OUTPUT;
  }

  /** Whether a model is an OpenAI reasoning model: o-series and the GPT-5 family. */
  public static boolean isReasoningModel(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("gpt-5");
  }

  /**
   * The route of a model name as a client sent it.
   *
   * @throws GatewayException naming the model when no provider serves it
   */
  public Route resolve(String model) {
    int slash = model.indexOf('/');
    if (slash > 0) {
      ProviderConfig p = providers.get(model.substring(0, slash));
      if (p != null) {
        String rest = model.substring(slash + 1);
        if (rest.isEmpty()) {
          throw GatewayException.invalid("model", "model '" + model + "' names provider '" + p.name()
              + "' but no model after the slash").withParam("model");
        }
        return new Route(p, rest);
      }
    }
    String configured = models.get(model);
    if (configured != null) {
      return new Route(provider(configured, model), model);
    }
    String family = ModelFamilies.providerOf(model);
    if (family != null) {
      return new Route(provider(family, model), model);
    }
    if (slash > 0) {
      throw unknown(model, "unknown provider '" + model.substring(0, slash) + "' in model '" + model
          + "'; configured providers: " + String.join(", ", providers.keySet().stream().sorted().toList()));
    }
    throw unknown(model, "no provider is known for model '" + model + "'; name it as provider/model "
        + "(e.g. groq/llama-3.3-70b-versatile) or map it under 'models:' in the config");
  }

  private ProviderConfig provider(String name, String model) {
    ProviderConfig p = providers.get(name);
    if (p == null) {
      throw unknown(model, "model '" + model + "' belongs to provider '" + name
          + "', which is not configured");
    }
    return p;
  }

  private static GatewayException unknown(String model, String message) {
    return GatewayException.of(ErrorKind.UNKNOWN_MODEL, message).withParam("model");
  }
}
