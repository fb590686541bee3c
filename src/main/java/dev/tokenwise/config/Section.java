package dev.tokenwise.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML mapping of the config file, read key by key with typed accessors. Each accessor reports a
 * wrong type or an unresolvable {@code ${ENV}} reference to {@link Problems} with the key's path and
 * line and returns null, so that reading goes on and every problem is reported at once. Values of
 * secret keys are never quoted in a problem.
 */
final class Section {
  /** One key of the mapping, with the line it is on. */
  record Entry(String key, Node value, int line) {}

  private final String path;
  private final int line;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Problems problems;
  private final Map<String, String> env;

  private Section(String path, int line, Problems problems, Map<String, String> env) {
    this.path = path;
    this.line = line;
    this.problems = problems;
    this.env = env;
  }

  /** The mapping at {@code node} (empty when the node is absent or null; a problem when it is no mapping). */
  static Section of(String path, Node node, Problems problems, Map<String, String> env) {
    Section s = new Section(path, line(node), problems, env);
    if (node == null || isNull(node)) {
      return s;
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.error(line(node), (path.isEmpty() ? "the file" : path) + " must be a mapping of keys, not "
          + kind(node));
      return s;
    }
    for (NodeTuple t : mapping.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode ks)) {
        problems.error(line(k), "a key in " + where(path) + " must be plain text, not " + kind(k));
        continue;
      }
      Entry previous = s.entries.putIfAbsent(ks.getValue(), new Entry(ks.getValue(), t.getValueNode(), line(k)));
      if (previous != null) {
        problems.error(line(k), "duplicate key " + quoteKey(ks.getValue()) + " in " + where(path)
            + " (first at line " + previous.line + ")");
      }
    }
    return s;
  }

  String path() {
    return path;
  }

  int line() {
    return line;
  }

  Set<String> keys() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  boolean has(String key) {
    Entry e = entries.get(key);
    return e != null && !isNull(e.value);
  }

  int lineOf(String key) {
    Entry e = entries.get(key);
    return e == null ? line : e.line;
  }

  /** Reports every key that is not one of {@code known}, suggesting the closest known one. */
  void allowOnly(List<String> known) {
    for (Entry e : entries.values()) {
      if (!known.contains(e.key)) {
        String hint = Problems.closest(e.key, known);
        problems.error(e.line, "unknown key " + quoteKey(e.key) + (path.isEmpty() ? " at the top level" : " in " + path)
            + (hint != null ? " (did you mean '" + hint + "'?)" : " (known keys: " + String.join(", ", known) + ")"));
      }
    }
  }

  /** The child mapping under {@code key} (empty when absent). */
  Section section(String key) {
    Entry e = entries.get(key);
    return of(child(key), e == null ? null : e.value, problems, env);
  }

  /** Text with {@code ${ENV}} replaced; null when absent or when it could not be read. */
  String text(String key) {
    Entry e = entries.get(key);
    return e == null ? null : scalar(e.value, child(key), false);
  }

  /**
   * Secret text: like {@link #text} except that a value that is exactly one unset {@code ${VAR}} (or
   * empty) means "none" and gives null without a problem.
   */
  String secret(String key) {
    Entry e = entries.get(key);
    return e == null ? null : scalar(e.value, child(key), true);
  }

  Long integer(String key, long min, long max) {
    String t = text(key);
    if (t == null) {
      return null;
    }
    long v;
    try {
      v = Long.parseLong(t.strip());
    } catch (NumberFormatException ex) {
      problems.error(lineOf(key), child(key) + " must be a whole number, got " + shown(key, t));
      return null;
    }
    if (v < min || v > max) {
      problems.error(lineOf(key), child(key) + " must be between " + min + " and " + max + ", got " + v);
      return null;
    }
    return v;
  }

  Boolean bool(String key) {
    String t = text(key);
    if (t == null) {
      return null;
    }
    return switch (t.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> {
        problems.error(lineOf(key), child(key) + " must be true or false, got " + shown(key, t));
        yield null;
      }
    };
  }

  Duration duration(String key) {
    String t = text(key);
    if (t == null) {
      return null;
    }
    Duration d = Units.duration(t);
    if (d == null) {
      problems.error(lineOf(key), child(key) + " must be a duration like \"500ms\", \"30s\", \"5m\", \"1h\" or \"30d\", got "
          + shown(key, t));
    }
    return d;
  }

  Long size(String key) {
    String t = text(key);
    if (t == null) {
      return null;
    }
    Long bytes = Units.size(t);
    if (bytes == null) {
      problems.error(lineOf(key), child(key) + " must be a size like \"32MiB\", \"1MB\" or a number of bytes, got "
          + shown(key, t));
    }
    return bytes;
  }

  /** A non-negative decimal taken from the YAML text itself, so {@code 0.075} stays exactly 0.075. */
  BigDecimal decimal(String key) {
    String t = text(key);
    if (t == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(t.strip());
      if (d.signum() < 0) {
        problems.error(lineOf(key), child(key) + " must not be negative, got " + t.strip());
        return null;
      }
      return d;
    } catch (NumberFormatException ex) {
      problems.error(lineOf(key), child(key) + " must be a decimal number, got " + shown(key, t));
      return null;
    }
  }

  /** A list of texts; a single text is accepted as a list of one. */
  List<String> texts(String key) {
    Entry e = entries.get(key);
    if (e == null || isNull(e.value)) {
      return null;
    }
    if (e.value instanceof ScalarNode) {
      String t = scalar(e.value, child(key), false);
      return t == null ? null : List.of(t);
    }
    if (!(e.value instanceof SequenceNode seq)) {
      problems.error(e.line, child(key) + " must be a list, not " + kind(e.value));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Node n : seq.getValue()) {
      String t = scalar(n, child(key), false);
      if (t != null) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** The items of a list under {@code key}; empty when absent, with a problem when it is no list. */
  List<Node> items(String key) {
    Entry e = entries.get(key);
    if (e == null || isNull(e.value)) {
      return List.of();
    }
    if (!(e.value instanceof SequenceNode seq)) {
      problems.error(e.line, child(key) + " must be a list, not " + kind(e.value));
      return List.of();
    }
    return seq.getValue();
  }

  /** Reads a scalar with {@code ${ENV}} references replaced; see {@link #secret} for {@code secret}. */
  String scalar(Node node, String at, boolean secret) {
    if (isNull(node)) {
      return null;
    }
    if (!(node instanceof ScalarNode s)) {
      problems.error(line(node), at + " must be a single value, not " + kind(node));
      return null;
    }
    EnvRefs.Result r = EnvRefs.substitute(s.getValue(), env);
    if (r.malformed()) {
      problems.error(line(node), at + " has a malformed ${...} reference; write ${NAME} or ${NAME:-default},"
          + " or $${ for a literal ${");
      return null;
    }
    if (!r.unset().isEmpty()) {
      if (secret && r.onlyRef()) {
        return null;
      }
      for (String name : r.unset()) {
        problems.error(line(node), at + " uses ${" + name + "} but environment variable " + name
            + " is not set (set it, or write ${" + name + ":-default})");
      }
      return null;
    }
    if (secret && r.text().isBlank()) {
      return null;
    }
    return r.text();
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void error(String key, String message) {
    problems.error(lineOf(key), message);
  }

  void warn(String key, String message) {
    problems.warn(lineOf(key), message);
  }

  Map<String, String> env() {
    return env;
  }

  Problems problems() {
    return problems;
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) && s.isPlain();
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    return node instanceof SequenceNode ? "a list" : "a single value";
  }

  private static String where(String path) {
    return path.isEmpty() ? "the top level" : path;
  }

  /**
   * A value for a message: the text as written in the file when it came from the environment, since
   * the environment may hold things that must not reach a log.
   */
  private String shown(String key, String value) {
    Entry e = entries.get(key);
    if (e != null && e.value instanceof ScalarNode s && s.getValue().contains("${")) {
      return quote(s.getValue()) + " (from the environment)";
    }
    return quote(value);
  }

  /** Quotes a non-secret value for a message, shortened so a stray paste cannot flood the log. */
  static String quote(String value) {
    String v = value.length() > 60 ? value.substring(0, 57) + "..." : value;
    return "'" + v + "'";
  }

  /** Quotes a key, masking it when it looks like a gateway key written in the wrong place. */
  static String quoteKey(String key) {
    return key.startsWith("tw-") ? "'tw-****'" : quote(key);
  }
}
