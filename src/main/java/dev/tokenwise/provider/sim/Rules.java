package dev.tokenwise.provider.sim;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The scripted rules, oldest first. A rule without a seed of its own draws from the simulator's seed
 * mixed with its place since the last clear, so that a script replayed after a reset with the same
 * seed draws the same numbers.
 */
final class Rules {
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private long seed;
  private long added;

  synchronized Rule add(String model) {
    Rule r = new Rule(model, mix(seed, added++));
    rules.add(r);
    return r;
  }

  /** The seed of the rules added from now on (those without a seed of their own). */
  synchronized void seed(long seed) {
    this.seed = seed;
  }

  /**
   * The plan for a call whose last user message is {@code lastUserText} (null for embeddings) at
   * {@code now} (the simulator's clock). The oldest rule that matches and applies (its window, its
   * chance, its uses left) shapes the answer; the default plan when none does. Rules that set only a
   * difficulty take no part in that choice, wherever they stand: the oldest of them that matches and
   * applies sets the call's difficulty, unless the rule that shapes the answer sets one itself. Each
   * rule used this way counts the call once.
   */
  Plan next(String model, Instant now, String lastUserText) {
    Plan chosen = null;
    int difficulty = 0;
    for (Rule r : rules) {
      boolean onlyDifficulty = r.onlyDifficulty();
      boolean wanted = onlyDifficulty ? difficulty == 0 && lastUserText != null : chosen == null;
      if (!wanted || !r.matches(model, now, lastUserText)) {
        continue;
      }
      Plan p = r.take();
      if (p == null) {
        continue;
      }
      if (onlyDifficulty) {
        difficulty = p.difficulty();
      } else {
        chosen = p;
      }
    }
    Plan plan = chosen == null ? Plan.DEFAULT : chosen;
    return plan.difficulty() > 0 || difficulty == 0 ? plan : plan.withDifficulty(difficulty);
  }

  List<Rule> all() {
    return List.copyOf(rules);
  }

  synchronized void clear() {
    rules.clear();
    added = 0;
  }

  /** Spreads (seed, index) pairs apart so that neighbouring rules do not draw related numbers. */
  static long mix(long seed, long index) {
    long z = seed + (index + 1) * 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
