package dev.tokenwise.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;

/** Cached answers for the cache and store tests, and a comparison that looks inside their arrays. */
public final class Answers {

  /** A body with characters outside the BMP and a NUL byte, which text columns would not keep. */
  public static final String BODY =
      "{\"choices\":[{\"message\":{\"content\":\"Grüße 👋🏽 日本語 e\u0301\"}}],\"x\":\"\u0000\"}";

  private Answers() {}

  /** A plain (not semantic) answer with every optional field null and an unknown price. */
  public static CachedAnswer plain(String key, String pattern, long createdMillis, long expiresMillis) {
    return new CachedAnswer(key, "tenant-a", pattern, "openai-chat", null, null, null,
        ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8), null, null, Usage.NONE, -1, -1,
        createdMillis, expiresMillis);
  }

  /** A semantic answer with every field set. */
  public static CachedAnswer semantic(String key, String pattern, long createdMillis, long expiresMillis) {
    return new CachedAnswer(key, "tenant-b", pattern, "anthropic-messages", "scope-" + key,
        "what is the capital of France? ünïcode 日本", new float[] {0.6f, -0.8f, 0f, Float.MIN_VALUE},
        BODY.getBytes(StandardCharsets.UTF_8), "claude-sonnet-4-5", "end_turn",
        new Usage(1_234, 1_024, 17, 19, 321, 64, true), 9_876_543_210_123L, 12_345_678_901_234L,
        createdMillis, expiresMillis);
  }

  /** A plain answer whose body has {@code bodyBytes} bytes, for the size bounds. */
  public static CachedAnswer sized(String key, String pattern, int bodyBytes, long expiresMillis) {
    return new CachedAnswer(key, "tenant-a", pattern, "openai-chat", null, null, null, new byte[bodyBytes],
        "m", "stop", Usage.NONE, -1, -1, 0, expiresMillis);
  }

  /** Fails unless both answers hold the same values, arrays compared by content. */
  public static void assertSameAnswer(CachedAnswer expected, CachedAnswer actual) {
    assertEquals(expected.key(), actual.key(), "key");
    assertEquals(expected.tenant(), actual.tenant(), "tenant");
    assertEquals(expected.pattern(), actual.pattern(), "pattern");
    assertEquals(expected.dialect(), actual.dialect(), "dialect");
    assertEquals(expected.scope(), actual.scope(), "scope");
    assertEquals(expected.query(), actual.query(), "query");
    assertArrayEquals(expected.embedding(), actual.embedding(), "embedding");
    assertArrayEquals(expected.body(), actual.body(), "body");
    assertEquals(expected.model(), actual.model(), "model");
    assertEquals(expected.finishReason(), actual.finishReason(), "finishReason");
    assertEquals(expected.usage(), actual.usage(), "usage");
    assertEquals(expected.costPicoUsd(), actual.costPicoUsd(), "costPicoUsd");
    assertEquals(expected.baselinePicoUsd(), actual.baselinePicoUsd(), "baselinePicoUsd");
    assertEquals(expected.createdMillis(), actual.createdMillis(), "createdMillis");
    assertEquals(expected.expiresMillis(), actual.expiresMillis(), "expiresMillis");
  }
}
