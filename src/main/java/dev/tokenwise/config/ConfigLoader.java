package dev.tokenwise.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link Config}: the built-in defaults, or a YAML file on top of them. */
public final class ConfigLoader {
  /** Default request body limit: 32 MiB. */
  public static final long DEFAULT_MAX_BODY = 32L * 1024 * 1024;

  private ConfigLoader() {}

  /**
   * The configuration used when no file is given: providers from the usual environment variables
   * (with the client's key passed through when a variable is unset), the embedded store in
   * {@code ./tokenwise-data/}, and no policies.
   */
  public static Config defaults(Map<String, String> env) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    for (BuiltinProvider p : BuiltinProvider.values()) {
      String key = env.get(p.envKey);
      providers.put(p.id, new ProviderConfig(p.id, p.kind, p.baseUrl, blankToNull(key),
          Duration.ofSeconds(600), Map.of(), p.dropParams));
    }
    return new Config(
        new Config.Server("127.0.0.1", 8787, DEFAULT_MAX_BODY, Duration.ofSeconds(10)),
        new Config.Store("sqlite:./tokenwise-data/tokenwise.db"),
        null,
        Map.copyOf(providers),
        Map.of(),
        List.of(),
        new Config.Auth(null, Map.of(), false),
        new Config.Retry(3),
        new Config.Guard((BigDecimal) null),
        new Config.Log(true, Duration.ofDays(30), 10_000, 500, Duration.ofMillis(200)),
        List.of());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The providers tokenwise knows without configuration. */
  enum BuiltinProvider {
    OPENAI("openai", ProviderConfig.Kind.OPENAI, "https://api.openai.com/v1", "OPENAI_API_KEY", List.of()),
    ANTHROPIC("anthropic", ProviderConfig.Kind.ANTHROPIC, "https://api.anthropic.com", "ANTHROPIC_API_KEY",
        List.of()),
    GROQ("groq", ProviderConfig.Kind.OPENAI, "https://api.groq.com/openai/v1", "GROQ_API_KEY",
        List.of("logprobs", "logit_bias", "top_logprobs")),
    DEEPSEEK("deepseek", ProviderConfig.Kind.OPENAI, "https://api.deepseek.com", "DEEPSEEK_API_KEY", List.of()),
    GEMINI("gemini", ProviderConfig.Kind.OPENAI, "https://generativelanguage.googleapis.com/v1beta/openai",
        "GEMINI_API_KEY", List.of()),
    MISTRAL("mistral", ProviderConfig.Kind.OPENAI, "https://api.mistral.ai/v1", "MISTRAL_API_KEY", List.of()),
    TOGETHER("together", ProviderConfig.Kind.OPENAI, "https://api.together.xyz/v1", "TOGETHER_API_KEY", List.of()),
    OPENROUTER("openrouter", ProviderConfig.Kind.OPENAI, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
        List.of()),
    OLLAMA("ollama", ProviderConfig.Kind.OPENAI, "http://127.0.0.1:11434/v1", "OLLAMA_API_KEY", List.of()),
    VLLM("vllm", ProviderConfig.Kind.OPENAI, "http://127.0.0.1:8000/v1", "VLLM_API_KEY", List.of());

    final String id;
    final ProviderConfig.Kind kind;
    final String baseUrl;
    final String envKey;
    final List<String> dropParams;

    BuiltinProvider(String id, ProviderConfig.Kind kind, String baseUrl, String envKey, List<String> dropParams) {
      this.id = id;
      this.kind = kind;
      this.baseUrl = baseUrl;
      this.envKey = envKey;
      this.dropParams = dropParams;
    }
  }
}
