package dev.tokenwise.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which built-in provider serves a model name by its family ({@code claude-*} is Anthropic's, {@code gpt-*}
 * and the o-series OpenAI's, …). The model catalog routes by it, and the config checks with it that a
 * model a policy names has a provider before any call needs one.
 */
public final class ModelFamilies {
  /** Built-in model families, by name prefix, first match wins. */
  private static final List<Map.Entry<String, String>> FAMILIES = List.of(
      Map.entry("claude-", "anthropic"),
      Map.entry("gpt-", "openai"),
      Map.entry("chatgpt-", "openai"),
      Map.entry("o1", "openai"),
      Map.entry("o3", "openai"),
      Map.entry("o4", "openai"),
      Map.entry("text-embedding-", "openai"),
      Map.entry("omni-moderation", "openai"),
      Map.entry("davinci", "openai"),
      Map.entry("babbage", "openai"),
      Map.entry("deepseek-", "deepseek"),
      Map.entry("gemini-", "gemini"),
      Map.entry("mistral-", "mistral"),
      Map.entry("ministral-", "mistral"),
      Map.entry("codestral", "mistral"),
      Map.entry("magistral", "mistral"),
      Map.entry("pixtral", "mistral"));

  private ModelFamilies() {}

  /** The name of the provider whose family the model belongs to, or null when it is of no known family. */
  public static String providerOf(String model) {
    String lower = model.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> family : FAMILIES) {
      if (lower.startsWith(family.getKey())) {
        return family.getValue();
      }
    }
    return null;
  }
}
