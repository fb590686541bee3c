package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamRelayTest {
  private static final String OPENAI = """
      data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

      data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"Hi there"},"finish_reason":null}],"usage":null}

      data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

      data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}

      data: [DONE]

      """;

  private static final String ANTHROPIC = """
      event: message_start
      data: {"type":"message_start","message":{"id":"m1","model":"claude-haiku-4-5-20251001","usage":{"input_tokens":11,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello there friend"}}

      """;

  private static StreamRelay.Outcome relay(Dialect d, boolean strip, String upstream, OutputStream client) {
    return new StreamRelay(d, strip, false, null).relay(new ByteArrayInputStream(upstream.getBytes(StandardCharsets.UTF_8)),
        client, o -> ": cost\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void the_injected_usage_chunk_is_removed_but_read_and_the_cost_comment_precedes_done() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = relay(Dialect.OPENAI, true, OPENAI, client);
    String out = client.toString(StandardCharsets.UTF_8);
    assertFalse(out.contains("\"usage\""), out);
    assertFalse(out.contains("\"choices\":[]"), out);
    assertTrue(out.endsWith(": cost\n\ndata: [DONE]\n\n"), out);
    assertTrue(o.completed && o.finalUsage);
    assertEquals(9, o.usage.inputTokens());
    assertEquals(3, o.usage.outputTokens());
    assertEquals("stop", o.finishReason);
  }

  @Test
  void a_client_that_asked_for_usage_gets_the_provider_bytes_unchanged() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    relay(Dialect.OPENAI, false, OPENAI, client);
    assertEquals(OPENAI.replace("data: [DONE]", ": cost\n\ndata: [DONE]"), client.toString(StandardCharsets.UTF_8));
  }

  @Test
  void a_provider_stream_that_ends_early_gets_an_error_event_and_keeps_the_known_input() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = relay(Dialect.ANTHROPIC, false, ANTHROPIC, client);
    assertFalse(o.completed);
    assertFalse(o.finalUsage);
    assertEquals(11, o.usage.inputTokens());
    assertEquals("Hello there friend", o.text);
    assertTrue(client.toString(StandardCharsets.UTF_8).endsWith("event: error\ndata: {\"type\":\"error\",\"error\":"
        + "{\"type\":\"api_error\",\"message\":\"tokenwise: the provider's stream ended before its final event\"}}\n\n"));
  }

  @Test
  void a_client_that_goes_away_stops_the_relay_at_once() {
    int[] writes = {0};
    OutputStream gone = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("broken pipe");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        writes[0]++;
        throw new IOException("broken pipe");
      }
    };
    StreamRelay.Outcome o = relay(Dialect.OPENAI, true, OPENAI, gone);
    assertTrue(o.clientGone);
    assertFalse(o.completed);
    assertEquals(1, writes[0], "no write after the first failure");
  }

  @Test
  void a_stream_that_is_no_answer_writes_nothing_so_another_model_can_answer() {
    for (String[] c : new String[][] {
        {"OPENAI", "data: <html><body>upstream connect error</body></html>\n\n", "not JSON"},
        {"OPENAI", ": keep-alive\n\ndata: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
            "began with an error: overloaded"},
        {"ANTHROPIC", "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"}}\n\n", "began with an error: Overloaded"},
        {"ANTHROPIC", "", "ended before its final event"}}) {
      ByteArrayOutputStream client = new ByteArrayOutputStream();
      StreamRelay.Outcome o = relay(Dialect.valueOf(c[0]), false, c[1], client);
      assertFalse(o.reachedClient(), c[1]);
      assertEquals(0, client.size(), "nothing reached the client: " + client);
      assertTrue(o.upstreamError.contains(c[2]), o.upstreamError);
    }
  }

  @Test
  void after_the_first_event_a_failure_ends_the_clients_stream_with_an_error_event() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = relay(Dialect.OPENAI, false, OPENAI.substring(0, OPENAI.indexOf("data:", 10))
        + "data: <html>\n\n", client);
    assertTrue(o.reachedClient());
    String out = client.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("data: {\"id\":\"c1\""), out);
    assertTrue(out.endsWith("\"code\":\"upstream_stream_truncated\"}}\n\n"), out);
  }

  /** An upstream that yields its opening events, then runaway text for as long as it is read. */
  private static final class Runaway extends InputStream {
    private final byte[] head;
    private final byte[] more;
    private int pos;
    private long moreSent;
    long bytesRead;

    Runaway(String head, String more) {
      this.head = head.getBytes(StandardCharsets.UTF_8);
      this.more = more.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (moreSent > 10_000) {
        return -1; // far more than any relay that stops early would read
      }
      byte[] src = pos < head.length ? head : more;
      int start = pos < head.length ? pos : (int) (moreSent % more.length);
      int n = Math.min(len, src.length - start);
      System.arraycopy(src, start, b, off, n);
      if (pos < head.length) {
        pos += n;
      } else {
        moreSent += n;
      }
      bytesRead += n;
      return n;
    }
  }

  private static final String OPENAI_HEAD = """
      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":" {\\"label\\": \\"a}"},"finish_reason":null}],"usage":null}

      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"\\", \\"n\\": [1]} and then"},"finish_reason":null}],"usage":null}

      """;
  private static final String OPENAI_MORE = """
      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":" more rambling"},"finish_reason":null}],"usage":null}

      """;

  private static final String ANTHROPIC_HEAD = """
      event: message_start
      data: {"type":"message_start","message":{"id":"m1","model":"claude-haiku-4-5-20251001","usage":{"input_tokens":11,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"[{\\"x\\": \\"]\\"}"}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"]\\n\\nExplanation:"}}

      """;
  private static final String ANTHROPIC_MORE = """
      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" and more"}}

      """;

  private static StreamRelay.Outcome exitEarly(Dialect d, boolean clientUsage, InputStream upstream,
      OutputStream client) {
    return new StreamRelay(d, !clientUsage, false, null).exitAfterJson(clientUsage).relay(upstream, client, o -> {
      o.settledUsage = new Usage(40, 0, 0, 0, 7, 0, true);
      return ": cost\n\n".getBytes(StandardCharsets.US_ASCII);
    });
  }

  private static String text(String sse, Dialect d) {
    StringBuilder sb = new StringBuilder();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode n = Json.tryParse(line.substring(6).getBytes(StandardCharsets.UTF_8));
        sb.append(d == Dialect.OPENAI ? n.path("choices").path(0).path("delta").path("content").asText("")
            : n.path("delta").path("text").asText(""));
      }
    }
    return sb.toString();
  }

  @Test
  void an_openai_stream_stops_after_the_json_value_and_ends_with_a_finish_usage_and_done() {
    Runaway upstream = new Runaway(OPENAI_HEAD, OPENAI_MORE);
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = exitEarly(Dialect.OPENAI, true, upstream, client);
    String out = client.toString(StandardCharsets.UTF_8);
    assertTrue(o.completed && o.earlyExit, out);
    assertEquals(" {\"label\": \"a}\", \"n\": [1]}", text(out, Dialect.OPENAI));
    assertEquals(o.text, text(out, Dialect.OPENAI));
    assertEquals("stop", o.finishReason);
    assertTrue(upstream.bytesRead < 10_000, "the runaway was not read: " + upstream.bytesRead);
    assertFalse(out.contains("rambling"), out);
    assertTrue(out.endsWith("""
        data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18",\
        "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

        data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18",\
        "choices":[],"usage":{"prompt_tokens":40,"completion_tokens":7,"total_tokens":47}}

        : cost

        data: [DONE]

        """), out);
  }

  @Test
  void an_openai_client_that_did_not_ask_for_usage_gets_no_usage_chunk() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = exitEarly(Dialect.OPENAI, false, new Runaway(OPENAI_HEAD, OPENAI_MORE), client);
    String out = client.toString(StandardCharsets.UTF_8);
    assertTrue(o.earlyExit);
    assertFalse(out.contains("\"usage\""), out);
    assertTrue(out.endsWith("\"finish_reason\":\"stop\"}]}\n\n: cost\n\ndata: [DONE]\n\n"), out);
  }

  @Test
  void an_anthropic_stream_stops_after_the_json_value_and_closes_block_and_message() {
    Runaway upstream = new Runaway(ANTHROPIC_HEAD, ANTHROPIC_MORE);
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = exitEarly(Dialect.ANTHROPIC, false, upstream, client);
    String out = client.toString(StandardCharsets.UTF_8);
    assertTrue(o.completed && o.earlyExit, out);
    assertEquals("[{\"x\": \"]\"}]", text(out, Dialect.ANTHROPIC));
    assertEquals("[{\"x\": \"]\"}]", o.text);
    assertEquals("end_turn", o.finishReason);
    assertEquals(11, o.usage.inputTokens(), "input as message_start reported it");
    assertFalse(o.finalUsage);
    assertTrue(upstream.bytesRead < 10_000, "the runaway was not read: " + upstream.bytesRead);
    assertTrue(out.endsWith("""
        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}

        : cost

        event: message_stop
        data: {"type":"message_stop"}

        """), out);
  }

  @Test
  void an_answer_that_is_not_json_is_relayed_whole() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    StreamRelay.Outcome o = new StreamRelay(Dialect.OPENAI, false, false, null).exitAfterJson(true).relay(
        new ByteArrayInputStream(OPENAI.getBytes(StandardCharsets.UTF_8)), client,
        x -> ": cost\n\n".getBytes(StandardCharsets.US_ASCII));
    assertFalse(o.earlyExit);
    assertTrue(o.completed && o.finalUsage);
    assertEquals(OPENAI.replace("data: [DONE]", ": cost\n\ndata: [DONE]"), client.toString(StandardCharsets.UTF_8));
  }
}
