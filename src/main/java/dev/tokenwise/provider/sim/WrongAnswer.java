package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a model says when an input is too hard for it. Text keeps the right answer's size (as many
 * sentences, as many words) but every word comes from the off-topic vocabulary. JSON keeps the right
 * answer's shape and gets about half of its leaves wrong (at least one, when any can change): off-topic
 * words in strings, another allowed value of an enum, other numbers, flipped booleans; the rest stay
 * right, so that a scorer with partial credit sees partial agreement. Both depend on the input and the
 * model only.
 */
final class WrongAnswer {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private WrongAnswer() {}

  /** The wrong counterpart of {@link Words#sentences(long)} for this seed. */
  static String text(long seed, long wrongSeed) {
    return Words.offTopicSentences(seed, new Words.Random(wrongSeed));
  }

  /** A copy of the right JSON answer with about half of its changeable leaves changed. */
  static JsonNode json(JsonNode schema, JsonNode right, long wrongSeed) {
    JsonNode out = right.deepCopy();
    List<Leaf> leaves = new ArrayList<>();
    collect(out, schema, leaves, 0);
    Words.Random pick = new Words.Random(wrongSeed);
    // A deterministic shuffle, then the first half (rounded up) go wrong.
    for (int i = leaves.size() - 1; i > 0; i--) {
      Collections.swap(leaves, i, pick.next(i + 1));
    }
    for (Leaf leaf : leaves.subList(0, (leaves.size() + 1) / 2)) {
      leaf.set(wrong(leaf.value(), leaf.schema(), pick));
    }
    return out;
  }

  /** One leaf of the answer: where it sits (an object's field or an array's element) and its schema. */
  private record Leaf(JsonNode parent, String field, int index, JsonNode schema) {
    JsonNode value() {
      return field != null ? parent.get(field) : parent.get(index);
    }

    void set(JsonNode v) {
      if (field != null) {
        ((ObjectNode) parent).set(field, v);
      } else {
        ((ArrayNode) parent).set(index, v);
      }
    }
  }

  private static void collect(JsonNode node, JsonNode schema, List<Leaf> out, int depth) {
    if (depth > 16) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode child = schema.path("properties").path(e.getKey());
        visit(e.getValue(), child, new Leaf(node, e.getKey(), -1, child), out, depth);
      }
    } else if (node.isArray()) {
      JsonNode items = schema.path("items");
      for (int i = 0; i < node.size(); i++) {
        visit(node.get(i), items, new Leaf(node, null, i, items), out, depth);
      }
    }
  }

  private static void visit(JsonNode value, JsonNode schema, Leaf leaf, List<Leaf> out, int depth) {
    if (value.isContainerNode()) {
      collect(value, schema, out, depth + 1);
    } else if (changeable(value, schema)) {
      out.add(leaf);
    }
  }

  /** Whether a leaf can take another value its schema allows: not a null, not a one-value enum. */
  private static boolean changeable(JsonNode value, JsonNode schema) {
    JsonNode en = schema.path("enum");
    if (en.isArray() && !en.isEmpty()) {
      for (JsonNode option : en) {
        if (!option.equals(value)) {
          return true;
        }
      }
      return false;
    }
    return value.isTextual() || value.isNumber() || value.isBoolean();
  }

  private static JsonNode wrong(JsonNode value, JsonNode schema, Words.Random pick) {
    JsonNode en = schema.path("enum");
    if (en.isArray() && !en.isEmpty()) {
      List<JsonNode> others = new ArrayList<>();
      en.forEach(option -> {
        if (!option.equals(value)) {
          others.add(option);
        }
      });
      return others.get(pick.next(others.size()));
    }
    if (value.isBoolean()) {
      return NODES.booleanNode(!value.asBoolean());
    }
    if (value.isIntegralNumber()) {
      return NODES.numberNode(value.asLong() + 1 + pick.next(50));
    }
    if (value.isNumber()) {
      double x = value.asDouble();
      double y;
      if (x >= 0 && x < 1) {
        // A share or a confidence stays one: another value with two decimals.
        y = Math.floorMod(Math.round(x * 100) + 1 + pick.next(98), 100L) / 100.0;
      } else {
        y = Math.round((x + (1 + pick.next(500)) / 10.0) * 10) / 10.0;
      }
      return NODES.numberNode(y == x ? x + 1 : y);
    }
    String text = value.asText();
    String changed = Words.offTopic(text, pick);
    // A string with no letters (digits, say) still has to change.
    return NODES.textNode(changed.equals(text) ? Words.OFF_TOPIC[pick.next(Words.OFF_TOPIC.length)]
        : changed);
  }
}
