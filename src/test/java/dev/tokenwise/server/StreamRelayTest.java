package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Dialect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
}
