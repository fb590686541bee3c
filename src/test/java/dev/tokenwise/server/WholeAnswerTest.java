package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WholeAnswerTest {
  private static final String OPENAI = """
      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":" {\\"label\\": \\"a}"},"finish_reason":null}],"usage":null}

      data: {"id":"c9","object":"chat.completion.chunk","created":1761000100,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"\\"} and then more"},"finish_reason":null}],"usage":null}

      """;

  private static final String ANTHROPIC = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[],"stop_reason":null,"usage":{"input_tokens":11,"cache_read_input_tokens":5,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"No JSON here"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":4}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  private static StreamRelay.Outcome read(Dialect d, String sse) {
    return new StreamRelay(d, false, false, null).exitAfterJson(false).relay(
        new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)), OutputStream.nullOutputStream(), o -> null);
  }

  @Test
  void an_openai_stream_cut_after_its_json_becomes_one_chat_completion() {
    StreamRelay.Outcome o = read(Dialect.OPENAI, OPENAI);
    assertTrue(o.earlyExit);
    JsonNode answer = WholeAnswer.of(Dialect.OPENAI, o.first, o.model, o.text, o.finishReason,
        new Usage(40, 0, 0, 0, 7, 0, true));
    assertEquals(Json.tryParse(("""
        {"id":"c9","object":"chat.completion","created":1761000100,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":" {\\"label\\": \\"a}\\"}","refusal":null},
                     "logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":40,"completion_tokens":7,"total_tokens":47,
                  "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},
         "system_fingerprint":"fp_1"}
        """).getBytes(StandardCharsets.UTF_8)), Json.tryParse(Json.bytes(answer)));
  }

  @Test
  void an_anthropic_stream_that_is_not_json_becomes_one_message_with_the_providers_stop_reason() {
    StreamRelay.Outcome o = read(Dialect.ANTHROPIC, ANTHROPIC);
    assertTrue(o.completed && !o.earlyExit);
    JsonNode answer = WholeAnswer.of(Dialect.ANTHROPIC, o.first, o.model, o.text, o.finishReason, o.usage);
    assertEquals(Json.tryParse("""
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
         "content":[{"type":"text","text":"No JSON here"}],"stop_reason":"max_tokens","stop_sequence":null,
         "usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":5,"output_tokens":4}}
        """.getBytes(StandardCharsets.UTF_8)), Json.tryParse(Json.bytes(answer)));
  }
}
