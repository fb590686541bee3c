package dev.tokenwise.provider.sim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The scripted rules, oldest first. */
final class Rules {
  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  Rule add(String model) {
    Rule r = new Rule(model);
    rules.add(r);
    return r;
  }

  /** The plan of the oldest matching rule with uses left, using it once; else the default plan. */
  Rule.Plan next(String model) {
    for (Rule r : rules) {
      if (r.matches(model)) {
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

  void clear() {
    rules.clear();
  }
}
