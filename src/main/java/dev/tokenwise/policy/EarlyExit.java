package dev.tokenwise.policy;

/**
 * The {@code early_exit: json} tactic: for a structured answer the JSON value is complete before the
 * model stops, so a stream is cut there and the tokens after it are never generated or billed. A call
 * without a stream asks the provider for one all the same and is answered whole from what was read. This
 * stage only decides; the relay watches the stream. It runs after routing, when translation is known.
 */
final class EarlyExit implements Stage {
  static final String TACTIC = "early_exit";
  /**
   * The first calls of a pattern run to their end: their output length is what a later early exit is
   * measured against (the saving is that length minus what was relayed, an estimate).
   */
  static final int CALIBRATION_CALLS = 3;
  private static final int MAX_PATTERNS = 4096;

  /** Per pattern: complete answers seen, and their output tokens summed. */
  private final java.util.Map<String, long[]> complete = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public String name() {
    return TACTIC;
  }

  @Override
  public void before(Exchange ex) {
    Policy policy = ex.policy();
    Object setting = policy == null ? null : policy.tactic(TACTIC);
    if (setting == null) {
      return;
    }
    if (!"json".equals(String.valueOf(setting))) {
      ex.record(new Decision(name(), "'" + setting + "' is not a known mode (json is); not applied (" + policy.name()
          + ")"));
      return;
    }
    if (ex.translated() || !ex.stream() && hasTools(ex)) {
      ex.record(new Decision(name(), "json applies to untranslated calls, and to non-streamed ones without tools;"
          + " not applied to this " + (ex.translated() ? "translated call" : "non-streamed call with tools")));
      ex.earlyExitCalibrating(ex.pattern() != null); // a complete answer all the same: learn its length
      return;
    }
    if (ex.pattern() == null) {
      return;
    }
    long[] seen = complete.get(ex.pattern());
    if (seen == null || seen[0] < CALIBRATION_CALLS) {
      ex.earlyExitCalibrating(true);
      ex.record(new Decision(name(), "json: this call runs to its end (" + (seen == null ? 1 : seen[0] + 1) + " of "
          + CALIBRATION_CALLS + ") so that later exits can be priced against a complete answer"));
      return;
    }
    ex.fullOutputEstimate(seen[1] / seen[0]);
    if (!ex.stream()) {
      ex.earlyExitWhole(new Decision(name(), "json: the provider is asked for a stream, which stops once the answer's"
          + " JSON value is complete; the client gets the whole answer"));
      return;
    }
    ex.earlyExitJson(true);
    ex.record(new Decision(name(), "json: the stream stops once the answer's JSON value is complete"));
  }

  /** Whether the call offers tools: its answer may be a tool call, whose arguments are not the answer's text. */
  private static boolean hasTools(Exchange ex) {
    return !ex.body().path("tools").isEmpty() || !ex.body().path("functions").isEmpty();
  }

  @Override
  public void after(Exchange ex, Outcome outcome) {
    if (!ex.earlyExitCalibrating() || outcome.status() != 200 || outcome.usage() == null
        || outcome.usage().estimated()) {
      return;
    }
    if (complete.size() >= MAX_PATTERNS && !complete.containsKey(ex.pattern())) {
      complete.clear(); // a crude bound: calibration starts over, a few calls per pattern
    }
    complete.compute(ex.pattern(), (k, v) -> {
      long[] n = v == null ? new long[2] : v;
      n[0]++;
      n[1] += outcome.usage().outputTokens();
      return n;
    });
  }
}
