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
   * The plan of the oldest matching rule that applies at {@code now} (the simulator's clock) to a call
   * whose last user message is {@code lastUserText} (null for embeddings), using it once; else the
   * default plan.
   */
  Rule.Plan next(String model, Instant now, String lastUserText) {
    for (Rule r : rules) {
      if (r.matches(model, now, lastUserText)) {
        Rule.Plan p = r.take();
        if (p != null) {
          return p;
        }
      }
    }
    return Rule.Plan.DEFAULT;
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
