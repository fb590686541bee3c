package dev.tokenwise.store;

import java.time.Instant;

/** Request rows for the store tests: one with every field set, one with every nullable field null. */
final class TestRows {

  /** A body with characters outside the BMP, combining marks, right-to-left text and quotes. */
  static final String UNICODE_BODY =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Grüße 👋🏽 日本語 עברית e\u0301 \\\"q\\\" \\n\"}]}";

  private TestRows() {}

  static RequestRecord full(String id, Instant time) {
    return new RequestRecord(
        id,
        time,
        "tenant-5f1c",
        "classify-ticket",
        "openai-chat",
        "/v1/chat/completions",
        "openai",
        "gpt-4o",
        "gpt-4o-2024-08-06",
        1_234,
        1_024,
        17,
        19,
        321,
        64,
        true,
        9_123_456_789_012_345L,
        Long.MAX_VALUE,
        187,
        2_345,
        200,
        true,
        "stop",
        3,
        "miss",
        "openai: timed out after 30000 ms (attempt 1/3, next: anthropic)",
        UNICODE_BODY,
        "{\"choices\":[{\"message\":{\"content\":\"ça va ✓ 🚀\"}}]}",
        "translate: openai-chat -> anthropic-messages; translate: dropped 'seed'")
        .withShape(new CallShape(Long.MIN_VALUE, -7L, 0x1234_5678_9abc_def0L, 42L, 3_000, 7, 4_096, Long.MAX_VALUE,
            CallShape.REPEATABLE | CallShape.TOOLS));
  }

  static RequestRecord sparse(String id, Instant time) {
    return new RequestRecord(
        id, time, "tenant-0", "fp-0a1b", "anthropic-messages", "/v1/messages", null, "claude-x",
        null, 0, 0, 0, 0, 0, 0, false, null, null, 0, 0, 499, false, null, 0, "bypass", null, null,
        null, null);
  }
}
