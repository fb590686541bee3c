package dev.tokenwise.eval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A third model grades the candidate, 1 to 5. With a reference, the judge sees the candidate and the
 * reference side by side twice, once in each order, and each side's grade is the mean of its two:
 * judges favour whichever answer they read first (or second), and the swap cancels that lean. With a
 * rubric and no reference, the judge grades the candidate alone, once. With neither, the case is refused.
 *
 * <p>value = (candidate's grade − 1) / 4; the candidate passes at a grade of 4. The detail records
 * {@code grade_candidate}, {@code grade_reference}, and {@code orders}: per call, the grades as
 * [candidate, reference], first with the candidate shown as answer a, then as answer b. A failed call
 * or an unreadable reply scores 0 with {@code judge_failed} set, so that a caller can tell the judge's
 * trouble from a bad answer; the second call is not made when the first one failed.
 */
final class JudgeScorer implements Scorer {
  static final double PASS_GRADE = 4;

  private final String model;
  private final ModelClient client;

  JudgeScorer(String model, ModelClient client) {
    this.model = model;
    this.client = client;
  }

  @Override
  public String name() {
    return "judge:" + model;
  }

  @Override
  public Score score(EvalCase c, String answer) {
    if (c.reference() == null && c.rubric() == null) {
      return Score.refused("no reference and no rubric: the judge needs one of them to grade against");
    }
    if (Texts.blank(answer)) {
      return Score.zero("empty answer");
    }
    Calls calls = new Calls();
    return c.reference() == null ? pointwise(c, answer, calls) : pairwise(c, answer, calls);
  }

  private Score pairwise(EvalCase c, String answer, Calls calls) {
    JudgeReply first;
    JudgeReply second;
    try {
      first = calls.ask(JudgePrompt.PAIRWISE_SYSTEM, JudgePrompt.pairwise(c.input(), c.rubric(), answer, c.reference()), true);
      second = calls.ask(JudgePrompt.PAIRWISE_SYSTEM, JudgePrompt.pairwise(c.input(), c.rubric(), c.reference(), answer), true);
    } catch (JudgeTrouble t) {
      return calls.failed(t);
    }
    double candidate = (first.a() + second.b()) / 2;
    double reference = (first.b() + second.a()) / 2;
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("mode", "pairwise");
    detail.put("grade_candidate", candidate);
    detail.put("grade_reference", reference);
    detail.put("orders", List.of(List.of(first.a(), first.b()), List.of(second.b(), second.a())));
    String note = "candidate " + show(candidate) + "/5, reference " + show(reference) + "/5";
    return graded(candidate, note, first, second, detail, calls);
  }

  private Score pointwise(EvalCase c, String answer, Calls calls) {
    JudgeReply only;
    try {
      only = calls.ask(JudgePrompt.POINTWISE_SYSTEM, JudgePrompt.pointwise(c.input(), c.rubric(), answer), false);
    } catch (JudgeTrouble t) {
      return calls.failed(t);
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("mode", "pointwise");
    detail.put("grade_candidate", only.a());
    return graded(only.a(), "candidate " + show(only.a()) + "/5 by the rubric", only, null, detail, calls);
  }

  private Score graded(double grade, String note, JudgeReply first, JudgeReply second, Map<String, Object> detail,
      Calls calls) {
    List<String> reasons = new ArrayList<>();
    for (JudgeReply r : second == null ? List.of(first) : List.of(first, second)) {
      reasons.add(r.reason());
    }
    detail.put("reasons", reasons);
    calls.describe(detail);
    String why = first.reason().isEmpty() ? "" : ": " + Texts.clip(first.reason(), 100);
    return new Score((grade - 1) / 4, grade >= PASS_GRADE, note + why, calls.cost, detail);
  }

  /** Means of two grades are halves; a plain form reads better in notes ("4.5", "5"). */
  private static String show(double grade) {
    return BigDecimal.valueOf(grade).stripTrailingZeros().toPlainString();
  }

  /** A judge call that failed or a reply that could not be read, with the note to show. */
  private static final class JudgeTrouble extends Exception {
    final String reply;

    JudgeTrouble(String message, String reply) {
      super(message, null, false, false);
      this.reply = reply;
    }
  }

  /** The calls made for one case: what they cost and took, in order. */
  private final class Calls {
    long cost;
    boolean costUnknown;
    long millis;
    int made;

    JudgeReply ask(String system, String user, boolean pair) throws JudgeTrouble {
      ModelClient.Reply reply;
      made++;
      try {
        reply = client.chat(model, JudgePrompt.body(model, system, user));
      } catch (RuntimeException e) {
        // The client reports trouble in its reply; an exception is still the judge's trouble, not the answer's.
        throw new JudgeTrouble("judge call failed: " + Texts.clip(String.valueOf(e), 120), null);
      }
      if (reply == null) {
        throw new JudgeTrouble("judge call failed: the client returned nothing", null);
      }
      if (reply.costPicoUsd() < 0) {
        costUnknown = true;
      } else {
        cost += reply.costPicoUsd();
      }
      millis += Math.max(0, reply.latencyMillis());
      if (reply.status() != 200 || reply.error() != null) {
        String status = reply.status() == 0 ? "no answer" : "HTTP " + reply.status();
        String error = reply.error() == null ? "" : ": " + Texts.clip(reply.error(), 120);
        throw new JudgeTrouble("judge call failed: " + status + error, null);
      }
      try {
        return JudgeReply.parse(reply.text(), pair);
      } catch (JudgeReply.Unreadable e) {
        throw new JudgeTrouble("judge reply unreadable: " + e.getMessage(), reply.text());
      }
    }

    Score failed(JudgeTrouble t) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("judge_failed", true);
      if (t.reply != null) {
        detail.put("judge_reply", Texts.clip(t.reply, 300));
      }
      describe(detail);
      return new Score(0, false, t.getMessage(), cost, detail);
    }

    void describe(Map<String, Object> detail) {
      detail.put("judge", model);
      detail.put("judge_calls", made);
      detail.put("judge_millis", millis);
      if (costUnknown) {
        detail.put("cost_unknown", true);
      }
    }
  }
}
