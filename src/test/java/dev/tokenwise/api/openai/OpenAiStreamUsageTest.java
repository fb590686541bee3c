package dev.tokenwise.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiStreamUsageTest {
  private static void feed(OpenAiStreamUsage stream, String chunk) {
    stream.onChunk(Json.tryParse(chunk.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_stream_without_a_usage_chunk_has_no_usage() {
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    feed(stream, "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}");
    assertTrue(stream.usage().isEmpty());
    assertNull(stream.finishReason());
    assertEquals("Hi", stream.relayedText());
  }

  @Test
  void tool_call_fragments_are_collected_as_relayed_text() {
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    feed(stream, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}");
    feed(stream, "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
        + "\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}}]}");
    feed(stream, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    assertEquals("get_weather{\"city\":\"Paris\"}", stream.relayedText());
    assertEquals("tool_calls", stream.finishReason());
  }

  @Test
  void the_finish_reason_is_the_first_choice_even_when_others_interleave() {
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    feed(stream, "{\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}");
    assertNull(stream.finishReason());
    feed(stream, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    assertEquals("stop", stream.finishReason());
  }

  @Test
  void the_usage_chunk_with_empty_choices_is_recorded() {
    OpenAiStreamUsage stream = new OpenAiStreamUsage();
    feed(stream, "{\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"flex\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":2046,\"completion_tokens\":10,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1920}}}");
    assertEquals(new Usage(126, 1920, 0, 0, 10, 0, false), stream.usage().orElseThrow());
    assertEquals("gpt-4o-2024-08-06", stream.model());
    assertEquals("flex", stream.serviceTier());
  }
}
