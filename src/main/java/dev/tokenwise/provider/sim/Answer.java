package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the simulated model says, before it is put in a dialect. Text is derived from a hash of the
 * last user message, so the same request always gets the same answer from the same model: the right
 * answer when the model's skill reaches the input's difficulty, else a wrong one ({@link Quality},
 * {@link WrongAnswer}); a grading request gets the judge's grades ({@link Judge}).
 *
 * @param text the visible text (empty for a tool call)
 * @param toolName the tool called, or null
 * @param toolArguments the tool arguments as compact JSON text, or null
 * @param outputTokens generated tokens, reasoning included
 * @param reasoningTokens the hidden reasoning part of {@code outputTokens}
 * @param end why generation stopped
 * @param stopSequence the stop string that matched, or null
 */
record Answer(
    String text, String toolName, String toolArguments, int outputTokens, int reasoningTokens,
    End end, String stopSequence) {

  /** Why generation stopped, in neutral terms that each dialect names its own way. */
  enum End { NATURAL, LENGTH, STOP_SEQUENCE, TOOL }

  /** Reasoning models spend this many hidden tokens per visible one (a fixed, documented ratio). */
  static final int REASONING_RATIO = 4;

  /** Where a runaway answer stops when the request sets no output cap. */
  static final int RUNAWAY_CEILING = 4096;

  boolean isToolCall() {
    return toolName != null;
  }

  /**
   * Composes the answer for one call.
   *
   * @param plan the rule's plan for this call
   * @param lastUserText the text of the last user message (the seed of generated text)
   * @param quality whether this model gets this input right
   * @param schema the JSON schema the answer must fit: null when no JSON was asked for, an empty
   *     object for "any JSON object"
   * @param stops stop strings from the request
   * @param maxTokens the output cap from the request, or -1
   * @param reasoning whether the model spends hidden reasoning tokens
   */
  static Answer compose(
      Plan plan, String lastUserText, Quality quality, JsonNode schema, List<String> stops,
      int maxTokens, boolean reasoning) {
    long seed = Tokens.hash(lastUserText == null ? "" : lastUserText);
    if (plan.toolName() != null) {
      int out = plan.forcedUsage() ? plan.outputTokens()
          : Tokens.count(plan.toolName()) + Tokens.count(plan.toolArguments());
      return new Answer("", plan.toolName(), plan.toolArguments(), out, 0, End.TOOL, null);
    }
    // A rule's own text and length rules are what a test asked for: they are never made wrong.
    boolean wrong = !quality.right() && !plan.runaway() && plan.answerMin() <= 0;
    String grades = plan.text() == null ? Judge.reply(lastUserText) : null;
    String text;
    if (plan.text() != null) {
      text = plan.text();
    } else if (grades != null) {
      text = grades;
    } else if (schema != null) {
      ObjectNode right = jsonFor(schema, seed);
      text = Json.string(wrong ? WrongAnswer.json(schema, right, quality.wrongSeed()) : right);
    } else {
      text = wrong ? WrongAnswer.text(seed, quality.wrongSeed()) : sentences(seed);
      if (plan.answerMin() > 0) {
        int span = plan.answerMax() - plan.answerMin() + 1;
        text = runOn(text, false, seed, plan.answerMin() + (int) Math.floorMod(seed, (long) span) - 1);
      }
    }
    int cap = maxTokens;
    if (plan.runaway()) {
      cap = maxTokens >= 0 ? maxTokens : RUNAWAY_CEILING;
      text = runOn(text, schema != null && plan.text() == null, seed, cap);
    }
    End end = End.NATURAL;
    String matched = null;
    int cut = -1;
    for (String stop : stops) {
      int at = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
        matched = stop;
      }
    }
    if (cut >= 0) {
      text = text.substring(0, cut);
      end = End.STOP_SEQUENCE;
    }
    int visible = Tokens.count(text);
    int hidden = reasoning ? visible * REASONING_RATIO : 0;
    if (cap >= 0 && hidden + visible > cap) {
      // Reasoning comes first and eats the budget before any visible text, as on the real models.
      hidden = Math.min(hidden, cap);
      visible = cap - hidden;
      text = Tokens.prefix(text, visible);
      end = End.LENGTH;
      matched = null;
    }
    int out = hidden + visible;
    if (plan.forcedUsage()) {
      out = plan.outputTokens();
      hidden = reasoning ? Math.max(0, out - visible) : 0;
    }
    return new Answer(text, null, null, out, hidden, end, matched);
  }

  /**
   * Whole sentences past {@code cap} tokens, starting as the answer would have (a runaway is then
   * cut at the cap; a long answer is kept whole); in JSON mode one string value that never closes.
   */
  private static String runOn(String start, boolean json, long seed, int cap) {
    StringBuilder sb = new StringBuilder(json ? "{\"answer\": \"" : start);
    int tokens = Tokens.count(sb.toString());
    for (long i = 1; tokens <= cap; i++) {
      String more = sentences(seed + i);
      sb.append(' ').append(more);
      tokens += Tokens.count(more);
    }
    return sb.toString();
  }

  /** One or two sentences of 6 to 13 words picked by the seed. */
  static String sentences(long seed) {
    return Words.sentences(seed);
  }

  /** A JSON object that fits a (subset of) JSON Schema; an empty schema gets a small fixed shape. */
  static ObjectNode jsonFor(JsonNode schema, long seed) {
    JsonNode props = schema.path("properties");
    if (!props.isObject() || props.isEmpty()) {
      ObjectNode o = Json.object();
      o.put("answer", sentences(seed));
      o.put("confidence", 0.5 + (Math.floorMod(seed, 50) / 100.0));
      return o;
    }
    return (ObjectNode) valueFor(schema, new Words.Random(seed), 0);
  }

  private static JsonNode valueFor(JsonNode schema, Words.Random r, int depth) {
    JsonNode en = schema.path("enum");
    if (en.isArray() && !en.isEmpty()) {
      return en.get(r.next(en.size()));
    }
    String type = schema.path("type").isArray() ? schema.path("type").path(0).asText("string")
        : schema.path("type").asText(schema.has("properties") ? "object" : "string");
    switch (type) {
      case "object" -> {
        ObjectNode o = Json.object();
        if (depth < 8) {
          Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            o.set(e.getKey(), valueFor(e.getValue(), r, depth + 1));
          }
        }
        return o;
      }
      case "array" -> {
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (depth < 8) {
          a.add(valueFor(schema.path("items"), r, depth + 1));
        }
        return a;
      }
      case "integer" -> {
        return Json.MAPPER.getNodeFactory().numberNode(r.next(100));
      }
      case "number" -> {
        return Json.MAPPER.getNodeFactory().numberNode(r.next(1000) / 10.0);
      }
      case "boolean" -> {
        return Json.MAPPER.getNodeFactory().booleanNode(r.next(2) == 1);
      }
      case "null" -> {
        return Json.MAPPER.getNodeFactory().nullNode();
      }
      default -> {
        String[] words = Words.ON_TOPIC;
        return Json.MAPPER.getNodeFactory().textNode(words[r.next(words.length)] + " "
            + words[r.next(words.length)]);
      }
    }
  }
}
