package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a judge's reply leniently: the JSON object may come bare, in a code fence or amid text; grades
 * may be integers, decimals or numeric strings, and must lie in 1 to 5.
 */
record JudgeReply(double a, double b, String reason) {

  /** Why a reply could not be read; the message names what came back. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  /** The grades of a reply; {@code b} is NaN when {@code pair} is false (one answer was graded). */
  static JudgeReply parse(String text, boolean pair) throws Unreadable {
    if (Texts.blank(text)) {
      throw new Unreadable("the judge sent no text");
    }
    JsonNode o = object(text);
    if (o == null) {
      throw new Unreadable("no JSON object in the judge's reply \"" + Texts.clip(text, 60) + "\"");
    }
    double a = grade(o, "a", text);
    double b = pair ? grade(o, "b", text) : Double.NaN;
    JsonNode r = field(o, "reason");
    String reason = r == null || r.isNull() ? "" : Texts.clip(r.isTextual() ? r.textValue() : r.toString(), 200);
    return new JudgeReply(a, b, reason);
  }

  private static JsonNode object(String text) {
    JsonNode n = tryRead(Texts.unfence(text));
    if (n != null && n.isObject()) {
      return n;
    }
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (open < 0 || close < open) {
      return null;
    }
    n = tryRead(text.substring(open, close + 1));
    return n != null && n.isObject() ? n : null;
  }

  private static JsonNode tryRead(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (IOException e) {
      return null;
    }
  }

  private static double grade(JsonNode o, String key, String text) throws Unreadable {
    JsonNode n = field(o, key);
    if (n == null) {
      throw new Unreadable("the judge's reply has no grade \"" + key + "\": " + Texts.clip(text, 80));
    }
    double g;
    if (n.isNumber()) {
      g = n.doubleValue();
    } else if (n.isTextual()) {
      try {
        g = Double.parseDouble(n.textValue().strip());
      } catch (NumberFormatException e) {
        throw new Unreadable("grade \"" + key + "\" is not a number: " + n);
      }
    } else {
      throw new Unreadable("grade \"" + key + "\" is " + Json.kind(n) + ": " + n);
    }
    if (!(g >= 1 && g <= 5)) {
      throw new Unreadable("grade \"" + key + "\" is " + n + ", outside 1 to 5");
    }
    return g;
  }

  /** A field by name, ignoring case, also as answer_a or grade_a, which judges sometimes write. */
  private static JsonNode field(JsonNode o, String key) {
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String k = e.getKey().strip().toLowerCase(Locale.ROOT);
      if (k.equals(key) || k.equals("answer_" + key) || k.equals("grade_" + key)) {
        return e.getValue();
      }
    }
    return null;
  }
}
