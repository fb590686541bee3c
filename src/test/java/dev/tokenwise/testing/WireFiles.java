package dev.tokenwise.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The golden files under {@code src/test/resources/wire/}. */
public final class WireFiles {
  private WireFiles() {}

  /** A file's bytes, e.g. {@code bytes("openai/text-usage.sse")}. */
  public static byte[] bytes(String name) {
    try (InputStream in = WireFiles.class.getResourceAsStream("/wire/" + name)) {
      assertNotNull(in, name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file as text. */
  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** A JSON file, parsed. */
  public static JsonNode json(String name) {
    JsonNode node = Json.tryParse(bytes(name));
    assertNotNull(node, name + " is not JSON");
    return node;
  }
}
