package dev.tokenwise.eval;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.core.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The default candidates of a sweep: chat models of the configured providers that cost less than the
 * model in use on the pattern's own token mix and can take what the pattern sends (tools, JSON output,
 * its longest input, and for OpenAI's reasoning models calls without {@code max_tokens} or a temperature).
 * When more qualify than are wanted, the picks are spread over the range of prices,
 * from the cheapest to the dearest of the cheaper ones, so that the sweep finds where quality falls off.
 */
public final class Candidates {
  /** Candidates a sweep tries by default, beside the model in use. */
  public static final int DEFAULT_MAX = 6;
  private static final Map<String, Ability> ABILITIES = load();
  private static final List<String> NOT_CHAT = List.of("embedding", "tts", "whisper", "dall-e", "image", "moderation");

  private Candidates() {}

  /**
   * What a pattern's calls need of a model.
   *
   * @param classicSampling the calls set {@code max_tokens} or a temperature other than 1, which OpenAI's
   *     reasoning models (o-series, GPT-5) refuse with a 400: a route to one would break them as sent
   */
  public record Needs(boolean tools, boolean json, long longestInputTokens, boolean classicSampling) {

    /** Needs of calls that leave the output cap and temperature alone. */
    public Needs(boolean tools, boolean json, long longestInputTokens) {
      this(tools, json, longestInputTokens, false);
    }
  }

  /** What a model can take; {@code context} 0 when unknown. */
  record Ability(long context, boolean tools, boolean json) {}

  /** A candidate with what it would cost per call on the pattern's mix. */
  public record Candidate(String name, String provider, String model, long picoPerCall) {}

  /**
   * Up to {@code max} candidates, cheapest first.
   *
   * @param providers the configured providers
   * @param perCall the pattern's mean call (input and output tokens)
   */
  public static List<Candidate> choose(PriceTable prices, Set<String> providers, String currentProvider,
      String currentModel, Usage perCall, Needs needs, int max) {
    ModelPrice current = prices.find(currentProvider, currentModel).orElse(null);
    Long now = current == null ? null : Cost.picoUsd(perCall, current, Tier.STANDARD).orElse(null);
    List<Candidate> cheaper = new ArrayList<>();
    for (ModelPrice row : prices.all()) {
      if (!providers.contains(row.provider()) || !chat(row) || base(row.model()).equals(base(currentModel))
          || !able(row.model(), needs)) {
        continue;
      }
      Long cost = Cost.picoUsd(perCall, row, Tier.STANDARD).orElse(null);
      if (cost == null || now != null && cost >= now) {
        continue;
      }
      String name = row.provider().equals(currentProvider) || defaultProvider(row) ? row.model()
          : row.provider() + "/" + row.model();
      cheaper.add(new Candidate(name, row.provider(), row.model(), cost));
    }
    cheaper.sort(Comparator.comparingLong(Candidate::picoPerCall).thenComparing(Candidate::name));
    return EvalSets.spread(cheaper, max);
  }

  /** Whether a model can take calls with these needs (an unlisted model is assumed able). */
  static boolean able(String model, Needs needs) {
    if (needs.classicSampling() && base(model).matches("(o\\d|gpt-5).*")) {
      return false;
    }
    Ability a = ABILITIES.get(base(model));
    if (a == null) {
      return true;
    }
    return (!needs.tools() || a.tools()) && (!needs.json() || a.json())
        && (a.context() == 0 || needs.longestInputTokens() <= a.context());
  }

  /** The providers whose models the catalog resolves by name alone. */
  private static boolean defaultProvider(ModelPrice row) {
    String m = row.model();
    return row.provider().equals("openai") && (m.startsWith("gpt-") || m.matches("o\\d.*"))
        || row.provider().equals("anthropic") && m.startsWith("claude-");
  }

  private static boolean chat(ModelPrice row) {
    return row.input() != null && row.output() != null && NOT_CHAT.stream().noneMatch(row.model()::contains);
  }

  private static String base(String model) {
    String id = model.toLowerCase(Locale.ROOT);
    int slash = id.indexOf('/');
    if (slash >= 0) {
      id = id.substring(slash + 1);
    }
    return id.replaceFirst("-(\\d{4}-\\d{2}-\\d{2})$", "");
  }

  private static Map<String, Ability> load() {
    Map<String, Ability> out = new HashMap<>();
    try (InputStream in = Candidates.class.getResourceAsStream("/eval/models.tsv")) {
      if (in == null) {
        throw new IllegalStateException("eval/models.tsv is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.put(f[0], new Ability(Long.parseLong(f[1]), f[2].equals("yes"), f[3].equals("yes")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(out);
  }
}
