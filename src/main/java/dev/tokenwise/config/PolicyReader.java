package dev.tokenwise.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code policies}: checks the tactic names and {@code match} keys of each policy (so a typo is
 * caught with its line) and keeps the rest as plain values for the policy package to interpret.
 * Scalars become String, Boolean, Integer/Long/BigInteger, Double or null, as YAML's core schema types
 * them after {@code ${ENV}} substitution.
 */
final class PolicyReader {
  static final List<String> POLICY_KEYS = List.of(
      "match", "route", "max_tokens", "context", "prompt_cache", "early_exit", "cache", "fallback", "defer");
  static final List<String> MATCH_KEYS = List.of("tag", "pattern", "model", "provider");

  private final Problems problems;
  private final ScalarResolver resolver = new CoreSchema().getScalarResolver();

  PolicyReader(Problems problems) {
    this.problems = problems;
  }

  List<Map<String, Object>> read(Section root) {
    List<Map<String, Object>> out = new ArrayList<>();
    int index = 0;
    for (Node item : root.items("policies")) {
      Section s = Section.of("policies[" + index++ + "]", item, problems, root.env());
      s.allowOnly(POLICY_KEYS);
      if (s.has("match")) {
        Section m = s.section("match");
        m.allowOnly(MATCH_KEYS);
      }
      if (item instanceof MappingNode) {
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = (Map<String, Object>) value(item, s.path(), s);
        out.add(policy);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private Object value(Node node, String at, Section s) {
    if (node instanceof MappingNode m) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          map.put(k.getValue(), value(t.getValueNode(), at + "." + k.getValue(), s));
        }
      }
      return Collections.unmodifiableMap(map);
    }
    if (node instanceof SequenceNode seq) {
      List<Object> list = new ArrayList<>();
      int i = 0;
      for (Node n : seq.getValue()) {
        list.add(value(n, at + "[" + i++ + "]", s));
      }
      return Collections.unmodifiableList(list);
    }
    ScalarNode scalar = (ScalarNode) node;
    if (Section.isNull(scalar)) {
      return null;
    }
    String text = s.scalar(scalar, at, false);
    if (text == null) {
      return null;
    }
    Tag tag = scalar.isPlain() ? resolver.resolve(text, true) : Tag.STR;
    return typed(text, tag);
  }

  private static Object typed(String text, Tag tag) {
    try {
      if (Tag.BOOL.equals(tag)) {
        return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
      }
      if (Tag.INT.equals(tag) && text.matches("[-+]?[0-9]+")) {
        BigInteger big = new BigInteger(text);
        if (big.bitLength() < 32) {
          return big.intValue();
        }
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      if (Tag.FLOAT.equals(tag) && text.matches("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?")) {
        return Double.valueOf(text);
      }
      if (Tag.NULL.equals(tag)) {
        return null;
      }
    } catch (NumberFormatException e) {
      return text;
    }
    return text;
  }
}
