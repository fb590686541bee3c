package dev.tokenwise.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The gateway's one JSON mapper and the small helpers every package needs around it. */
public final class Json {
  /** Shared, thread-safe mapper; numbers keep their exact decimal form. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNestingDepth(500).build());
  }

  private Json() {}

  /** Parses bytes, or returns null when they are not JSON. */
  public static JsonNode tryParse(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** Serialises a tree to bytes. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Serialises a tree to a string. */
  public static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** A node as indented JSON text, ending with a newline, for files and terminals. */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** A new empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The long at a path of fields, or 0 when a step is absent or not a number. */
  public static long longAt(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null || !n.isObject()) {
        return 0;
      }
      n = n.get(p);
    }
    return n != null && n.isNumber() ? n.asLong() : 0;
  }

  /** The text at a field, or null when it is absent or not a string. */
  public static String textAt(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode n = node.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** The JSON kind of a value as error messages name it: "a string", "an array", … */
  public static String kind(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "null";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return n.isArray() ? "an array" : "an object";
  }
}
