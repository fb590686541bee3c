package dev.tokenwise.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the wire fixtures under {@code src/test/resources/usage/}. */
final class Fixtures {
  /** One server-sent event: its {@code event:} name (null for OpenAI) and parsed data. */
  record Event(String type, JsonNode data) {}

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/usage/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture usage/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return Json.tryParse(text(name).getBytes(StandardCharsets.UTF_8));
  }

  /** The events of an SSE fixture; the OpenAI {@code [DONE]} line is left out since it is not JSON. */
  static List<Event> sse(String name) {
    List<Event> events = new ArrayList<>();
    String type = null;
    for (String line : text(name).split("\n", -1)) {
      if (line.startsWith("event:")) {
        type = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        String data = line.substring(5).trim();
        if (!data.equals("[DONE]")) {
          events.add(new Event(type, Json.tryParse(data.getBytes(StandardCharsets.UTF_8))));
        }
      } else if (line.isEmpty()) {
        type = null;
      }
    }
    return events;
  }
}
