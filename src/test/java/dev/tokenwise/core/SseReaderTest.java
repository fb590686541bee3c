package dev.tokenwise.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static SseReader reader(String s) {
    return new SseReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void named_events_keep_their_name_data_and_exact_bytes() throws IOException {
    String block = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n";
    SseReader r = reader(block + "event: ping\ndata: {\"type\": \"ping\"}\n\n");
    SseEvent e = r.next();
    assertEquals("message_start", e.event());
    assertEquals("{\"type\":\"message_start\"}", e.data());
    assertEquals(block, new String(e.raw(), StandardCharsets.UTF_8));
    assertEquals("ping", r.next().event());
    assertNull(r.next());
  }

  @Test
  void crlf_line_ends_comments_and_multi_line_data_follow_the_sse_rules() throws IOException {
    SseReader r = reader(": keep-alive\r\n\r\ndata: first\r\ndata: second\r\n\r\ndata: [DONE]\r\n\r\n");
    SseEvent comment = r.next();
    assertTrue(comment.isComment());
    assertEquals("first\nsecond", r.next().data());
    assertEquals("[DONE]", r.next().data());
    assertNull(r.next());
  }

  @Test
  void a_stream_cut_mid_event_returns_what_arrived() throws IOException {
    SseReader r = reader("data: {\"a\":1}\n\ndata: {\"b\"");
    assertEquals("{\"a\":1}", r.next().data());
    SseEvent partial = r.next();
    assertEquals("{\"b\"", partial.data());
    assertNull(r.next());
  }

  @Test
  void multibyte_text_survives_buffer_boundaries() throws IOException {
    String text = "é".repeat(5000);
    SseReader r = reader("data: " + text + "\n\n");
    assertEquals(text, r.next().data());
  }

  @Test
  void read_all_returns_every_block_of_a_stream_in_memory() {
    var events = SseReader.readAll(": ping\n\ndata: {\"a\":1}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(3, events.size());
    assertTrue(events.get(0).isComment());
    assertEquals("{\"a\":1}", events.get(1).data());
    assertEquals("[DONE]", events.get(2).data());
  }
}
