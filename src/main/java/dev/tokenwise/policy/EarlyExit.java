package dev.tokenwise.policy;

/**
 * The {@code early_exit: json} tactic: for a structured answer the JSON value is complete before the
 * model stops, so a stream is cut there and the tokens after it are never generated or billed. This
 * stage only decides; the relay watches the stream. It runs after routing, when translation is known.
 */
final class EarlyExit implements Stage {
  static final String TACTIC = "early_exit";

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
    if (!ex.stream() || ex.translated()) {
      ex.record(new Decision(name(), "json applies to streamed untranslated calls in this version; not applied to this "
          + (ex.stream() ? "translated" : "non-streamed") + " call"));
      return;
    }
    ex.earlyExitJson(true);
    ex.record(new Decision(name(), "json: the stream stops once the answer's JSON value is complete"));
  }
}
