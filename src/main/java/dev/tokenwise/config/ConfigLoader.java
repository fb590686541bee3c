package dev.tokenwise.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Builds a {@link Config}: the built-in defaults, or a YAML file on top of them.
 *
 * <p>A file is read once and checked as a whole: unknown keys, wrong types, out-of-range values and
 * unset {@code ${ENV}} references are all collected and thrown together as one {@link ConfigException}
 * naming each key and line. Harmless out-of-range values (a batch larger than its queue, say) are
 * reset instead, with a warning that names the value used. No message quotes a secret.
 */
public final class ConfigLoader {
  /** Default request body limit: 32 MiB. */
  public static final long DEFAULT_MAX_BODY = 32L * 1024 * 1024;

  /** The file the CLI reads when no {@code --config} is given and it exists in the working directory. */
  public static final String DEFAULT_FILE = "tokenwise.yaml";

  private static final System.Logger LOG = System.getLogger(ConfigLoader.class.getName());

  private ConfigLoader() {}

  /**
   * Reads {@code file} on top of {@link #defaults(Map)}, resolving {@code ${ENV}} references from
   * {@code env}, and logs a warning for each value it had to reset.
   *
   * @throws ConfigException naming every problem in the file, or that it cannot be read
   */
  public static Config load(Path file, Map<String, String> env) {
    return load(file, env, w -> LOG.log(System.Logger.Level.WARNING, file.getFileName() + " " + w));
  }

  static Config load(Path file, Map<String, String> env, Consumer<String> warnings) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("the file does not exist"));
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), List.of("the file is not UTF-8 text"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("the file cannot be read: " + e));
    }
    return parse(text, file.toString(), env, warnings);
  }

  /** Reads config text; {@code source} names it in messages. */
  static Config parse(String text, String source, Map<String, String> env, Consumer<String> warnings) {
    Optional<Node> root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(text);
    } catch (MarkedYamlEngineException e) {
      // Only the problem and its line: the engine's own message quotes the source, secrets included.
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(source, List.of((line > 0 ? "line " + line + ": " : "") + "not valid YAML: "
          + e.getProblem()));
    } catch (YamlEngineException e) {
      throw new ConfigException(source, List.of("not valid YAML: " + e.getMessage()));
    }
    Config base = defaults(env);
    if (root.isEmpty()) {
      return base;
    }
    Problems problems = new Problems();
    Config config = new ConfigReader(base, problems).read(Section.of("", root.get(), problems, env));
    if (!problems.errors().isEmpty()) {
      throw new ConfigException(source, problems.errors());
    }
    problems.warnings().forEach(warnings);
    return config;
  }

  /**
   * The CLI's rule for which file to read: {@code configFile} (the {@code --config} argument, relative
   * to {@code workingDir}) when given, else {@code tokenwise.yaml} in {@code workingDir} when it
   * exists, else none.
   *
   * @throws ConfigException when {@code configFile} is given but is not a readable file
   */
  public static Optional<Path> locate(String configFile, Path workingDir) {
    if (configFile != null) {
      Path p = workingDir.resolve(configFile);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException(configFile, List.of("no such config file: " + p.toAbsolutePath().normalize()));
      }
      return Optional.of(p);
    }
    Path p = workingDir.resolve(DEFAULT_FILE);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The configuration the CLI runs with: the file {@link #locate} finds, else {@link #defaults(Map)}. */
  public static Config resolve(String configFile, Path workingDir, Map<String, String> env) {
    return locate(configFile, workingDir).map(p -> load(p, env)).orElseGet(() -> defaults(env));
  }

  /** The effective configuration as text, one setting per line, with every secret masked, for logs. */
  public static String describe(Config config) {
    return Redact.describe(config);
  }

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
          ProviderConfig.DEFAULT_TIMEOUT, Map.of(), p.dropParams));
    }
    return new Config(
        new Config.Server("127.0.0.1", 8787, DEFAULT_MAX_BODY, Duration.ofSeconds(10)),
        new Config.Store("sqlite:./tokenwise-data/tokenwise.db"),
        null,
        java.util.Collections.unmodifiableMap(providers),
        Map.of(),
        List.of(),
        new Config.Auth(null, Map.of(), false, null),
        Config.Retry.DEFAULT,
        Config.Guard.NONE,
        new Config.Log(true, Duration.ofDays(30), 10_000, 500, Duration.ofMillis(200)),
        new Config.Cache(100_000, null, Config.Cache.LOCAL),
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

    static BuiltinProvider byId(String id) {
      for (BuiltinProvider p : values()) {
        if (p.id.equals(id)) {
          return p;
        }
      }
      return null;
    }

    static String ids() {
      return Arrays.stream(values()).map(p -> p.id).collect(Collectors.joining(", "));
    }
  }
}
