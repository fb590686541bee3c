package dev.tokenwise.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.cache.semantic.Embedder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The scorers by name, as the eval command's {@code --scorer} option gives them. */
public final class Scorers {
  private static final String ALLOWED = "exact, json, similarity, judge or judge:MODEL";
  private static final int LABEL_WORDS = 5;
  private static final int LABEL_CHARS = 40;

  private Scorers() {
  }

  /**
   * Parses --scorer: "exact", "json", "similarity", "judge" (judge with the default judge model given),
   * "judge:MODEL". Throws IllegalArgumentException naming the bad value and the allowed ones.
   *
   * @param defaultJudgeModel the model a bare "judge" uses; may be null when none is configured
   * @param client how the judge reaches its model; needed only by judge scorers
   * @param embedder the embedder of the similarity scorer, asked for once on first use; needed only by it
   */
  public static Scorer parse(String spec, String defaultJudgeModel, ModelClient client,
      Supplier<Embedder> embedder) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no scorer given: use " + ALLOWED);
    }
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "exact":
        return new ExactScorer();
      case "json":
        return new JsonScorer();
      case "similarity":
        if (embedder == null) {
          throw new IllegalArgumentException("scorer \"similarity\" needs an embedder, and none was given");
        }
        return new SimilarityScorer(embedder);
      case "judge":
        if (defaultJudgeModel == null || defaultJudgeModel.isBlank()) {
          throw new IllegalArgumentException("scorer \"judge\" needs a judge model and no default is set:"
              + " use judge:MODEL");
        }
        return judge(defaultJudgeModel.strip(), client, s);
      default:
        break;
    }
    if (lower.startsWith("judge:")) {
      String model = s.substring("judge:".length()).strip();
      if (model.isEmpty()) {
        throw new IllegalArgumentException("scorer \"" + s + "\" names no model: use judge:MODEL");
      }
      return judge(model, client, s);
    }
    throw new IllegalArgumentException("unknown scorer \"" + s + "\": use " + ALLOWED);
  }

  private static Scorer judge(String model, ModelClient client, String spec) {
    if (client == null) {
      throw new IllegalArgumentException("scorer \"" + spec + "\" needs a model client, and none was given");
    }
    return new JudgeScorer(model, client);
  }

  /**
   * The scorer that suits answers like these when the user gave none: json when every reference parses
   * as a JSON object/array, exact when references are short labels (all ≤ 5 words and ≤ 40 chars), else
   * similarity. Missing (null or blank) references are left out; when none is left, "judge", the only
   * scorer that can grade without a reference (by a rubric).
   */
  public static String suggest(List<String> references) {
    List<String> given = references == null ? List.of()
        : references.stream().filter(r -> !Texts.blank(r)).toList();
    if (given.isEmpty()) {
      return "judge";
    }
    if (given.stream().allMatch(Scorers::jsonDocument)) {
      return "json";
    }
    if (given.stream().allMatch(Scorers::label)) {
      return "exact";
    }
    return "similarity";
  }

  private static boolean jsonDocument(String text) {
    try {
      JsonNode n = JsonScorer.parse(text);
      return n.isObject() || n.isArray();
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static boolean label(String text) {
    String t = text.strip();
    return t.codePointCount(0, t.length()) <= LABEL_CHARS && t.split("\\s+").length <= LABEL_WORDS;
  }
}
