package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import dev.tokenwise.core.SseReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the golden files and runs streams through a translator the way the gateway does. */
final class Wire {
  private Wire() {}

  /** A file under {@code wire/translate/} as text. */
  static String golden(String name) {
    try (InputStream in = Wire.class.getResourceAsStream("/wire/translate/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events of an SSE text, split by the gateway's reader. */
  static List<SseEvent> events(String sse) {
    SseReader reader = new SseReader(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)));
    List<SseEvent> events = new ArrayList<>();
    try {
      for (SseEvent e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  /** Everything the translator sends the client for these upstream events, in order. */
  static String translate(StreamTranslator translator, List<SseEvent> upstream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SseEvent e : upstream) {
      out.writeBytes(translator.onEvent(e));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Everything the translator sends for one upstream SSE text. */
  static String translate(StreamTranslator translator, String upstream) {
    return translate(translator, events(upstream));
  }

  /** The data of every event the client got, parsed; [DONE] is left out. */
  static List<JsonNode> payloads(String clientSse) {
    List<JsonNode> nodes = new ArrayList<>();
    for (SseEvent e : events(clientSse)) {
      if (e.data() != null && !e.data().equals("[DONE]")) {
        JsonNode node = Json.tryParse(e.data().getBytes(StandardCharsets.UTF_8));
        assertNotNull(node, "not JSON: " + e.data());
        nodes.add(node);
      }
    }
    return nodes;
  }

  /** One upstream event built from its text. */
  static SseEvent event(String sse) {
    return events(sse).get(0);
  }
}
