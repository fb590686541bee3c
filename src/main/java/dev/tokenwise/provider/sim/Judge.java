package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated judge: any model grades two answers when the last user message holds them in
 * {@code <answer_a>…</answer_a>} and {@code <answer_b>…</answer_b>} blocks (beside an
 * {@code <input>} and perhaps a {@code <rubric>}, which it reads past). It replies with the JSON
 * object {@code {"a": 1-5, "b": 1-5, "reason": "…"}} and grades as follows:
 * <ul>
 *   <li>the same answers (white space at the ends aside) both get 5;</li>
 *   <li>otherwise each answer gets a grade for how on-topic it is: the share of its words (for a JSON
 *       answer, the words of its values, keys aside) that come from the simulator's ordinary
 *       vocabulary rather than the off-topic one of wrong answers; 80 % or more is a 5, 20 % or less
 *       a 1, and between them 2, 3 or 4 for each fifth; an answer with no off-topic word, words from
 *       neither list included (numbers, labels), gets 5;</li>
 *   <li>when both get 5 yet differ, it cannot tell them apart: the first gets 4 and the second 2;</li>
 *   <li>then position bias, as real judges show: the answer in position a gets 1 more (5 at most)
 *       whenever the answers differ. Asking in both orders and averaging cancels it.</li>
 * </ul>
 * The judge's own skill plays no part: every model grades alike.
 */
final class Judge {
  private static final Pattern A = Pattern.compile("<answer_a>(.*?)</answer_a>", Pattern.DOTALL);
  private static final Pattern B = Pattern.compile("<answer_b>(.*?)</answer_b>", Pattern.DOTALL);

  private Judge() {}

  /** The two grades and why. */
  record Grades(int a, int b, String reason) {}

  /** The judge's reply to this last user message, or null when it is no grading request. */
  static String reply(String lastUserText) {
    if (lastUserText == null) {
      return null;
    }
    Matcher a = A.matcher(lastUserText);
    Matcher b = B.matcher(lastUserText);
    if (!a.find() || !b.find()) {
      return null;
    }
    Grades g = grade(a.group(1), b.group(1));
    ObjectNode out = Json.object().put("a", g.a()).put("b", g.b()).put("reason", g.reason());
    return Json.string(out);
  }

  static Grades grade(String answerA, String answerB) {
    String a = answerA.strip();
    String b = answerB.strip();
    if (a.equals(b)) {
      return new Grades(5, 5, "the answers are the same");
    }
    int ga = onTopic(a);
    int gb = onTopic(b);
    String reason;
    if (ga == 5 && gb == 5) {
      ga = 4;
      gb = 2;
      reason = "the answers differ and both keep to the topic";
    } else if (ga == gb) {
      reason = "both answers stray from the topic";
    } else {
      reason = "answer " + (ga > gb ? "a" : "b") + " keeps to the topic better";
    }
    return new Grades(Math.min(5, ga + 1), gb, reason);
  }

  /** The grade of one answer for how much of it keeps to the topic. */
  static int onTopic(String answer) {
    Words.Tally t = tally(answer);
    int counted = t.onTopic() + t.offTopic();
    if (counted == 0) {
      return 5;
    }
    double share = (double) t.onTopic() / counted;
    if (share >= 0.8) {
      return 5;
    }
    if (share <= 0.2) {
      return 1;
    }
    return Math.min(4, 2 + (int) ((share - 0.2) / 0.2));
  }

  private static Words.Tally tally(String answer) {
    boolean looksJson = answer.startsWith("{") || answer.startsWith("[");
    JsonNode json = looksJson ? Json.tryParse(answer.getBytes(StandardCharsets.UTF_8)) : null;
    return json == null || !json.isContainerNode() ? Words.tally(answer) : values(json, 0);
  }

  private static Words.Tally values(JsonNode n, int depth) {
    if (!n.isContainerNode()) {
      return Words.tally(n.asText());
    }
    Words.Tally t = new Words.Tally(0, 0);
    if (depth < 32) {
      for (JsonNode child : n) {
        t = t.plus(values(child, depth + 1));
      }
    }
    return t;
  }
}
