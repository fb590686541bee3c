package dev.tokenwise.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The text edit that gives a pattern's calls one policy key: where it goes and what it says, worked out
 * on the config's text without touching the file.
 *
 * <p>Design note: the first policy matching the pattern's calls decides what they get. When that policy
 * is the pattern's own ({@code match} is exactly its {@code pattern} or {@code tag}), the key is set in
 * it; otherwise a new policy for the pattern goes before it (or last, when none matches), with a copy of
 * the tactics of the policy it shadows, so that the calls lose nothing they had. Only the text of the
 * touched key, or of the new policy, is written; every other byte of the file stays as it was, comments
 * and {@code ${ENV}} references included. A map value is merged into a map already there: its entries
 * replace the same-named ones that do not already give what it asks, the others are kept.
 */
final class PolicyEdit {
  /** What a new file starts with. */
  static final String HEADER = "# tokenwise configuration: every key is optional (see docs/configuration.md).\n"
      + "# A running `tokenwise serve` puts changed policies in force without a restart.\n";

  /**
   * The outcome.
   *
   * @param text the whole new text of the file
   * @param description what changed, in words
   */
  record Result(String text, String description) {}

  /** One replacement in the original text; an insertion when {@code from == to}. */
  private record Splice(int from, int to, String text) {}

  private final YamlSource src;
  private final List<Map<String, Object>> policies;
  private final PatternFacts facts;
  private final String key;
  private final Object value;
  private final List<Splice> splices = new ArrayList<>();

  private PolicyEdit(YamlSource src, List<Map<String, Object>> policies, PatternFacts facts, String key,
      Object value) {
    this.src = src;
    this.policies = policies;
    this.facts = facts;
    this.key = key;
    this.value = value;
  }

  /**
   * The edit of {@code text} (null when there is no file yet) that gives the calls of {@code facts}
   * {@code key: value}.
   *
   * @param policies the file's policies as the config loader read them (so their indexes are the list's)
   * @throws ConfigEditor.Refused when the file is written in a way this cannot edit safely
   */
  static Result plan(String text, List<Map<String, Object>> policies, PatternFacts facts, String key, Object value) {
    if (text == null) {
      Map<String, Object> policy = newPolicy(facts.pattern(), Map.of(), key, value, null, null);
      String body = HEADER + "policies:\n" + String.join("\n", policyLines(policy, 2, 4)) + "\n";
      return new Result(body, "added policies[0] for pattern " + facts.pattern() + ": " + set(key, value));
    }
    return new PolicyEdit(new YamlSource(text), policies, facts, key, value).plan();
  }

  private Result plan() {
    NodeTuple listTuple = YamlSource.tuple(src.root, "policies");
    if (listTuple == null) {
      return appendPoliciesKey();
    }
    if (src.aliasAfter(src.start(listTuple.getKeyNode()))) {
      throw new ConfigEditor.Refused("its policies (or what follows them) use a YAML alias (*name); apply cannot"
          + " edit them safely. Write this policy by hand:\n"
          + String.join("\n", policyLines(newPolicy(facts.pattern(), Map.of(), key, value, null, null), 2, 4)),
          false);
    }
    Node list = listTuple.getValueNode();
    if (!(list instanceof SequenceNode seq)) {
      if (!(list instanceof ScalarNode s) || !s.isPlain()) {
        throw new ConfigEditor.Refused("its 'policies' is no list", true);
      }
      return fillEmptyList(listTuple);
    }
    int first = Applied.firstMatch(policies, facts);
    if (first >= 0 && ownPolicy(policies.get(first))) {
      return setInPlace((MappingNode) seq.getValue().get(first), first);
    }
    return insert(seq, first);
  }

  /** A file without {@code policies:}: the key goes at its end. */
  private Result appendPoliciesKey() {
    int col = 0;
    if (src.root instanceof MappingNode m) {
      if (YamlSource.flow(m)) {
        throw new ConfigEditor.Refused("its top level is written as one { … } mapping; apply adds 'policies:' only to"
            + " a file written key by key", false);
      }
      if (!m.getValue().isEmpty()) {
        col = src.column(src.start(m.getValue().get(0).getKeyNode()));
      }
    }
    String text = src.text;
    StringBuilder add = new StringBuilder();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      add.append(src.eol);
    }
    if (!text.isBlank() && !text.endsWith("\n\n") && !text.endsWith("\r\n\r\n")) {
      add.append(src.eol);
    }
    add.append(" ".repeat(col)).append("policies:").append(src.eol);
    add.append(lines(newPolicy(facts.pattern(), Map.of(), key, value, null, null), col + 2)).append(src.eol);
    splices.add(new Splice(text.length(), text.length(), add.toString()));
    return done("added policies[0] for pattern " + facts.pattern() + ": " + set(key, value));
  }

  /** {@code policies:} with nothing (or {@code ~}) after it: the list starts below the key. */
  private Result fillEmptyList(NodeTuple listTuple) {
    Node keyNode = listTuple.getKeyNode();
    Node nothing = listTuple.getValueNode();
    int col = src.column(src.start(keyNode));
    int end = src.end(nothing);
    splices.add(new Splice(src.end(keyNode), end, ":"));
    splices.add(new Splice(src.lineEnd(end), src.lineEnd(end),
        src.eol + lines(newPolicy(facts.pattern(), Map.of(), key, value, null, null), col + 2)));
    return done("added policies[0] for pattern " + facts.pattern() + ": " + set(key, value));
  }

  /** Whether a policy is the pattern's own: its match is exactly {@code pattern: P} or {@code tag: P}. */
  private boolean ownPolicy(Map<String, Object> policy) {
    if (!(policy.get("match") instanceof Map<?, ?> match) || match.size() != 1) {
      return false;
    }
    Map.Entry<?, ?> only = match.entrySet().iterator().next();
    return (only.getKey().equals("pattern") || only.getKey().equals("tag")) && only.getValue() != null
        && only.getValue().toString().equals(facts.pattern());
  }

  /** Sets the key in the pattern's own policy, merging a map into a map already there. */
  private Result setInPlace(MappingNode policy, int index) {
    Map<String, Object> loaded = policies.get(index);
    String where = where(index) + ": ";
    NodeTuple t = YamlSource.tuple(policy, key);
    if (t == null) {
      addEntries(policy, new LinkedHashMap<>(Map.of(key, value)));
      return done(where + set(key, value));
    }
    Node existing = t.getValueNode();
    if (value instanceof Map<?, ?> wanted && existing instanceof MappingNode m
        && loaded.get(key) instanceof Map<?, ?> had) {
      Map<String, Object> fresh = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : wanted.entrySet()) {
        String k = e.getKey().toString();
        NodeTuple old = YamlSource.tuple(m, k);
        if (old == null) {
          fresh.put(k, e.getValue());
        } else if (!had.containsKey(k) || !Applied.satisfies(had.get(k), e.getValue())) {
          replaceValue(old, k, e.getValue(), YamlSource.flow(m), entryColumn(m));
        }
      }
      if (!fresh.isEmpty()) {
        addEntries(m, fresh);
      }
      return done(where + set(key, value) + keeping(kept(had.keySet(), wanted.keySet(), key)));
    }
    replaceValue(t, key, value, YamlSource.flow(policy), entryColumn(policy));
    return done(where + set(key, value));
  }

  /**
   * A new policy for the pattern before the first policy matching its calls ({@code first}), with that
   * policy's tactics; or last when none matches ({@code first} is -1).
   */
  private Result insert(SequenceNode seq, int first) {
    List<Node> items = seq.getValue();
    Map<String, Object> shadowedLoaded = first >= 0 ? policies.get(first) : Map.of();
    MappingNode shadowed = first >= 0 ? (MappingNode) items.get(first) : null;
    Map<String, Object> policy = newPolicy(facts.pattern(), shadowedLoaded, key, value, shadowed, src);
    int index = first >= 0 ? first : items.size();
    String description = "added policies[" + index + "] for pattern " + facts.pattern()
        + (first >= 0 ? " before " + where(first) : ", after the others (none matched its calls)")
        + ": " + set(key, value);
    if (first >= 0) {
      List<String> copied = new ArrayList<>();
      for (String k : shadowedLoaded.keySet()) {
        if (!k.equals("match") && !k.equals(key)) {
          copied.add(k);
        }
      }
      if (shadowedLoaded.get(key) instanceof Map<?, ?> had && value instanceof Map<?, ?> wanted) {
        copied.addAll(kept(had.keySet(), wanted.keySet(), key));
      }
      description += keeping(copied);
    }
    if (YamlSource.flow(seq)) {
      String one = YamlValues.flow(policy);
      if (items.isEmpty()) {
        splices.add(new Splice(src.start(seq), src.end(seq), "[ " + one + " ]"));
      } else if (first >= 0) {
        splices.add(new Splice(src.start(items.get(first)), src.start(items.get(first)), one + ", "));
      } else {
        int end = src.end(items.get(items.size() - 1));
        splices.add(new Splice(end, end, ", " + one));
      }
      return done(description);
    }
    Node near = items.get(first >= 0 ? first : items.size() - 1);
    int dash = src.itemDash(near);
    int dashCol = src.column(dash);
    boolean keyOnDashLine = near instanceof MappingNode m && !YamlSource.flow(m)
        && src.lineStart(src.start(m)) == src.lineStart(dash);
    int keyCol = keyOnDashLine ? src.column(src.start(near)) : dashCol + 2;
    String text = String.join(src.eol, policyLines(policy, dashCol, keyCol));
    if (first >= 0) {
      int at = src.commentsAbove(dash, dashCol);
      splices.add(new Splice(at, at, text + src.eol + (src.blankAbove(at) && first > 0 ? src.eol : "")));
    } else {
      int at = src.commentsBelow(src.lineEnd(src.end(near)), dashCol);
      boolean spaced = items.size() > 1 && src.blankAbove(src.commentsAbove(dash, dashCol));
      splices.add(new Splice(at, at, src.eol + (spaced ? src.eol : "") + text));
    }
    return done(description);
  }

  /**
   * The pattern's new policy: {@code match: { pattern: P }}, then the tactics of the policy it shadows
   * (as written there) with the key set, merged when both are maps.
   */
  private static Map<String, Object> newPolicy(String pattern, Map<String, Object> shadowedLoaded, String key,
      Object value, MappingNode shadowed, YamlSource src) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("match", Map.of("pattern", pattern));
    if (shadowed != null) {
      for (NodeTuple t : shadowed.getValue()) {
        String k = ((ScalarNode) t.getKeyNode()).getValue();
        if (k.equals("match")) {
          continue;
        }
        Object v = src.value(t.getValueNode());
        if (k.equals(key)) {
          v = merged(v, shadowedLoaded.get(key), value);
        }
        policy.put(k, v);
      }
    }
    policy.putIfAbsent(key, value);
    return policy;
  }

  /** {@code wanted} over a copied value: a map's entries over the ones not already giving what it asks. */
  private static Object merged(Object copied, Object loaded, Object wanted) {
    if (!(copied instanceof Map<?, ?> c) || !(wanted instanceof Map<?, ?> w) || !(loaded instanceof Map<?, ?> had)) {
      return wanted;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    c.forEach((k, v) -> out.put(k.toString(), v));
    w.forEach((k, v) -> {
      if (!had.containsKey(k) || !Applied.satisfies(had.get(k), v)) {
        out.put(k.toString(), v);
      }
    });
    return out;
  }

  /** Replaces an entry's value, keeping its key as written. */
  private void replaceValue(NodeTuple t, String k, Object v, boolean flow, int col) {
    String after;
    if (flow) {
      after = ": " + YamlValues.flow(v);
    } else {
      List<String> lines = YamlValues.entry(k, v, col);
      String head = " ".repeat(col) + YamlValues.key(k);
      after = lines.get(0).substring(head.length())
          + (lines.size() > 1 ? src.eol + String.join(src.eol, lines.subList(1, lines.size())) : "");
    }
    splices.add(new Splice(src.end(t.getKeyNode()), src.end(t.getValueNode()), after));
  }

  /** Adds entries after a mapping's last one. */
  private void addEntries(MappingNode m, Map<String, Object> entries) {
    if (YamlSource.flow(m)) {
      List<String> parts = new ArrayList<>();
      entries.forEach((k, v) -> parts.add(YamlValues.key(k) + ": " + YamlValues.flow(v)));
      if (m.getValue().isEmpty()) {
        splices.add(new Splice(src.start(m), src.end(m), "{ " + String.join(", ", parts) + " }"));
      } else {
        int end = src.end(m.getValue().get(m.getValue().size() - 1).getValueNode());
        splices.add(new Splice(end, end, ", " + String.join(", ", parts)));
      }
      return;
    }
    int col = entryColumn(m);
    List<String> lines = new ArrayList<>();
    entries.forEach((k, v) -> lines.addAll(YamlValues.entry(k, v, col)));
    int at = src.lineEnd(src.end(m));
    splices.add(new Splice(at, at, src.eol + String.join(src.eol, lines)));
  }

  private int entryColumn(MappingNode m) {
    return m.getValue().isEmpty() ? 0 : src.column(src.start(m.getValue().get(0).getKeyNode()));
  }

  /** The lines of a policy as a block list item at {@code dashCol}, its keys at {@code keyCol}. */
  static List<String> policyLines(Map<String, Object> policy, int dashCol, int keyCol) {
    List<String> lines = new ArrayList<>();
    policy.forEach((k, v) -> lines.addAll(YamlValues.entry(k, v, keyCol)));
    String first = lines.get(0);
    lines.set(0, " ".repeat(dashCol) + "-" + " ".repeat(keyCol - dashCol - 1) + first.substring(keyCol));
    return lines;
  }

  private String lines(Map<String, Object> policy, int dashCol) {
    return String.join(src.eol, policyLines(policy, dashCol, dashCol + 2));
  }

  /** A policy named by its index and match, as the file's reader would find it. */
  private String where(int index) {
    Map<?, ?> match = policies.get(index).get("match") instanceof Map<?, ?> m ? m : Map.of();
    List<String> parts = new ArrayList<>();
    match.forEach((k, v) -> {
      if (v != null) {
        parts.add(k + " " + v);
      }
    });
    return "policies[" + index + "] (" + (parts.isEmpty() ? "matches every call" : "match " + String.join(", ", parts))
        + ")";
  }

  private static String set(String key, Object value) {
    return key + " set to " + YamlValues.flow(value);
  }

  /** The entries of a map that a merge keeps, as {@code key.entry}. */
  private static List<String> kept(java.util.Set<?> had, java.util.Set<?> wanted, String key) {
    List<String> out = new ArrayList<>();
    for (Object k : had) {
      if (!wanted.contains(k)) {
        out.add(key + "." + k);
      }
    }
    return out;
  }

  private static String keeping(List<String> kept) {
    return kept.isEmpty() ? "" : ", keeping its " + String.join(", ", kept);
  }

  private Result done(String description) {
    StringBuilder out = new StringBuilder(src.text);
    splices.stream().sorted(Comparator.comparingInt(Splice::from).reversed())
        .forEach(s -> out.replace(s.from(), s.to(), s.text()));
    return new Result(out.toString(), description);
  }
}
