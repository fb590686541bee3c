package dev.tokenwise.eval;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field-by-field agreement of two JSON documents, for structured outputs (extraction, classification
 * with fields). Both sides are flattened to their leaves (objects by key, arrays by index; an empty
 * object or array is a leaf of its own) and the score is the share of paths, over the union of both
 * sides, whose values agree: a missing or an extra field counts against. Numbers agree by value (1 and
 * 1.0), strings in the exact scorer's normal form, booleans and null exactly; a number never equals a
 * string. The answer passes only when every field agrees.
 */
final class JsonScorer implements Scorer {
  private static final int NAMED_PATHS = 5;
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][\\w$-]*");

  @Override
  public String name() {
    return "json";
  }

  @Override
  public Score score(EvalCase c, String answer) {
    if (c.reference() == null) {
      return Score.refused("no reference to compare with: the json scorer needs one");
    }
    JsonNode ref;
    try {
      ref = parse(c.reference());
    } catch (JsonProcessingException e) {
      return Score.refused("the reference is not JSON: " + reason(e));
    }
    if (Texts.blank(answer)) {
      return Score.zero("not JSON: empty answer");
    }
    JsonNode ans;
    try {
      ans = parse(answer);
    } catch (JsonProcessingException e) {
      return Score.zero("not JSON: " + reason(e) + " (answer starts \"" + Texts.clip(answer, 30) + "\")");
    }
    Map<String, JsonNode> expected = leaves(ref);
    Map<String, JsonNode> actual = leaves(ans);
    Set<String> union = new LinkedHashSet<>(expected.keySet());
    union.addAll(actual.keySet());
    List<String> differing = new ArrayList<>();
    for (String path : union) {
      if (!same(expected.get(path), actual.get(path))) {
        differing.add(path);
      }
    }
    int matching = union.size() - differing.size();
    double value = (double) matching / union.size();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("fields", union.size());
    detail.put("matching", matching);
    detail.put("differing", List.copyOf(differing.subList(0, Math.min(differing.size(), 20))));
    return new Score(value, differing.isEmpty(), note(union.size(), differing), 0, detail);
  }

  /** Parses a side, tolerating a surrounding code fence. */
  static JsonNode parse(String text) throws JsonProcessingException {
    JsonNode n = Json.MAPPER.readTree(Texts.unfence(text));
    if (n == null || n.isMissingNode()) {
      throw new JsonParseException(null, "no JSON value inside the text");
    }
    return n;
  }

  private static String note(int fields, List<String> differing) {
    if (differing.isEmpty()) {
      return fields == 1 ? "the one field agrees" : "all " + fields + " fields agree";
    }
    String named = String.join(", ", differing.subList(0, Math.min(differing.size(), NAMED_PATHS)));
    String more = differing.size() > NAMED_PATHS ? " and " + (differing.size() - NAMED_PATHS) + " more" : "";
    return differing.size() + " of " + fields + " fields differ: " + named + more;
  }

  private static String reason(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return Texts.clip(m == null ? e.getClass().getSimpleName() : m, 80);
  }

  /** Path of every leaf to its value, in document order; the root alone is "$". */
  static Map<String, JsonNode> leaves(JsonNode root) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    walk(root, "", out);
    return out;
  }

  private static void walk(JsonNode n, String path, Map<String, JsonNode> out) {
    if (n.isObject() && !n.isEmpty()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        walk(e.getValue(), child(path, e.getKey()), out);
      }
    } else if (n.isArray() && !n.isEmpty()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), (path.isEmpty() ? "$" : path) + "[" + i + "]", out);
      }
    } else {
      out.put(path.isEmpty() ? "$" : path, n);
    }
  }

  private static String child(String path, String key) {
    String step = PLAIN_KEY.matcher(key).matches() ? key : "[" + Json.string(Json.MAPPER.getNodeFactory().textNode(key)) + "]";
    if (path.isEmpty()) {
      return step;
    }
    return step.startsWith("[") ? path + step : path + "." + step;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isTextual() && b.isTextual()) {
      return Texts.normalise(a.textValue()).equals(Texts.normalise(b.textValue()));
    }
    if (a.isContainerNode() && b.isContainerNode()) {
      // Only empty containers reach here as leaves: {} equals {}, [] equals [].
      return a.isObject() == b.isObject() && a.isEmpty() && b.isEmpty();
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }
}
