package dev.tokenwise.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  @Test
  void loads_on_first_use_and_returns_unit_vectors() {
    try (MiniLmEmbedder e = new MiniLmEmbedder()) {
      assertFalse(e.loaded());
      float[] v = e.embed("How do I reset my password?");
      assertTrue(e.loaded());
      assertEquals(384, v.length);
      assertEquals(e.dimensions(), v.length);
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-4);
      assertEquals("all-minilm-l6-v2-q", e.name());
    }
  }

  @Test
  void paraphrases_score_higher_than_other_topics() {
    try (MiniLmEmbedder e = new MiniLmEmbedder()) {
      float[] a = e.embed("How do I reset my password?");
      float[] b = e.embed("How can I reset my password?");
      float[] c = e.embed("What is the capital of Australia?");
      assertTrue(dot(a, b) > 0.9, "paraphrase " + dot(a, b));
      assertTrue(dot(a, c) < 0.3, "other topic " + dot(a, c));
    }
  }

  @Test
  void refuses_to_embed_once_closed() {
    MiniLmEmbedder e = new MiniLmEmbedder();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.embed("hello"));
  }

  private static float dot(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }
}
