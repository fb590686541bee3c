package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the demo's clients read what the gateway answers. */
class ReplayTest {
  @Test
  void a_stream_gives_its_text_and_the_cost_of_its_closing_comment() {
    String body = """
        data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

        data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hello"}}]}

        data: {"id":"c1","choices":[{"index":0,"delta":{"content":" there."}}]}

        data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        : x-tokenwise-cost-usd=0.0061425 x-tokenwise-baseline-usd=0.0061425 x-tokenwise-request-id=r1

        data: [DONE]

        """;
    StringBuilder text = new StringBuilder();
    assertEquals(6_142_500_000L, Replay.readStream(body, text));
    assertEquals("Hello there.", text.toString());
  }

  @Test
  void a_stream_that_carries_an_error_failed() {
    String body = "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
    assertEquals(-1, Replay.readStream(body, new StringBuilder()));
  }

  @Test
  void cost_headers_are_read_exactly_and_unknown_is_nothing() {
    assertEquals(1_230_000_000L, Replay.usd("0.00123"));
    assertEquals(12_345_678_901_234L, Replay.usd("12.345678901234"));
    assertEquals(0, Replay.usd("unknown"));
  }
}
