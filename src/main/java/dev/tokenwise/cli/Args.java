package dev.tokenwise.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: {@code --name value} or {@code --name=value} options, {@code --flag}s and
 * positional words, checked against what the command takes so that a typo is an error, not ignored.
 */
final class Args {
  final Map<String, String> options = new LinkedHashMap<>();
  final Set<String> flags = new java.util.LinkedHashSet<>();
  final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * Reads {@code words} for {@code command}.
   *
   * @param valued the options that take a value (without {@code --})
   * @param switches the flags (without {@code --})
   * @throws IllegalArgumentException naming the word that is wrong
   */
  static Args parse(String command, List<String> words, Set<String> valued, Set<String> switches) {
    Args a = new Args();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (!w.startsWith("--") || w.equals("--")) {
        a.positional.add(w);
        continue;
      }
      String name = w.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name) && value == null) {
        a.flags.add(name);
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= words.size()) {
            throw new IllegalArgumentException("--" + name + " needs a value");
          }
          value = words.get(++i);
        }
        a.options.put(name, value);
      } else {
        throw new IllegalArgumentException("unknown option '" + w + "' for " + command + "; see 'tokenwise "
            + command + " --help'");
      }
    }
    return a;
  }

  String option(String name) {
    return options.get(name);
  }

  boolean flag(String name) {
    return flags.contains(name);
  }
}
