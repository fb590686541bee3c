package dev.tokenwise.eval;

/** Grades one candidate answer of an eval item. Implementations are thread-safe. */
public interface Scorer {

  /** exact | json | similarity | judge:MODEL */
  String name();

  /**
   * Scores one candidate answer (the assistant's text) against the case. Never throws for bad answers:
   * an unparseable or empty answer scores 0 with a note.
   */
  Score score(EvalCase c, String answer);
}
