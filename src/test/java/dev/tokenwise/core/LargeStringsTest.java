package dev.tokenwise.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LargeStringsTest {
  private static final String IMAGE = "data:image/png;base64," + "QUJD".repeat(5000) + "\\\"x";

  private static byte[] body(String model) {
    return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"" + IMAGE + "\"}},{\"type\":\"text\",\"text\":\"what is it?\"}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_body_without_large_strings_is_left_as_it_is() {
    byte[] raw = "{\"model\":\"gpt-4o\",\"x\":\"short\"}".getBytes(StandardCharsets.UTF_8);
    LargeStrings ls = LargeStrings.of(raw, 1024);
    assertFalse(ls.any());
    assertSame(raw, ls.slim());
  }

  @Test
  void large_strings_are_set_aside_for_parsing_and_come_back_when_the_tree_is_written() {
    byte[] raw = body("openai/gpt-4o");
    LargeStrings ls = LargeStrings.of(raw, 1024);
    assertTrue(ls.any());
    assertTrue(ls.slim().length < 300, "the slim body holds a placeholder, not the image");
    ObjectNode tree = (ObjectNode) Json.tryParse(ls.slim());
    assertEquals("what is it?", tree.at("/messages/0/content/1/text").asText());
    tree.put("model", "gpt-4o");
    byte[] restored = ls.restore(Json.bytes(tree));
    assertArrayEquals(body("gpt-4o"), restored);
  }
}
