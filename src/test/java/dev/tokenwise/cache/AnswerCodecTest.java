package dev.tokenwise.cache;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.testing.Answers;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnswerCodecTest {

  @Test
  void round_trips_a_semantic_answer_with_its_embedding_and_unicode() {
    CachedAnswer a = Answers.semantic("k1", "faq", 1_700_000_000_000L, 1_700_000_360_000L);

    assertSameAnswer(a, AnswerCodec.decode(AnswerCodec.encode(a)));
  }

  @Test
  void round_trips_null_fields_and_null_usage() {
    CachedAnswer p = Answers.plain("k2", "p", 1, 2);
    CachedAnswer a = new CachedAnswer(p.key(), p.tenant(), p.pattern(), p.dialect(), null, null, null, p.body(),
        null, null, null, -1, -1, 1, 2);

    CachedAnswer back = AnswerCodec.decode(AnswerCodec.encode(a));

    assertSameAnswer(a, back);
    assertNull(back.usage());
    assertNull(back.embedding());
    assertNull(back.scope());
  }

  @Test
  void keeps_an_empty_embedding_apart_from_a_missing_one_and_an_empty_body() {
    CachedAnswer p = Answers.plain("k3", "p", 1, 2);
    CachedAnswer a = new CachedAnswer(p.key(), p.tenant(), p.pattern(), p.dialect(), "", "", new float[0],
        new byte[0], "", "", p.usage(), 0, 0, 1, 2);

    CachedAnswer back = AnswerCodec.decode(AnswerCodec.encode(a));

    assertEquals(0, back.embedding().length);
    assertEquals(0, back.body().length);
    assertEquals("", back.query());
  }

  @Test
  void decodes_from_an_offset_inside_a_larger_message() {
    CachedAnswer a = Answers.semantic("k4", "p", 1, 2);
    byte[] encoded = AnswerCodec.encode(a);
    byte[] message = new byte[8 + encoded.length];
    System.arraycopy(encoded, 0, message, 8, encoded.length);

    assertSameAnswer(a, AnswerCodec.decode(message, 8, encoded.length));
  }

  @Test
  void refuses_another_version_cut_short_bytes_and_trailing_bytes() {
    byte[] encoded = AnswerCodec.encode(Answers.semantic("k5", "p", 1, 2));

    byte[] otherVersion = encoded.clone();
    otherVersion[0] = 99;
    assertThrows(IllegalArgumentException.class, () -> AnswerCodec.decode(otherVersion));
    assertThrows(IllegalArgumentException.class, () -> AnswerCodec.decode(Arrays.copyOf(encoded, encoded.length - 3)));
    assertThrows(IllegalArgumentException.class, () -> AnswerCodec.decode(Arrays.copyOf(encoded, encoded.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> AnswerCodec.decode(new byte[0]));
  }

  @Test
  void refuses_a_corrupt_length_without_allocating_it() {
    byte[] encoded = AnswerCodec.encode(Answers.plain("k6", "p", 1, 2));
    // The key's length follows the version byte.
    encoded[1] = 0x7f;

    assertThrows(IllegalArgumentException.class, () -> AnswerCodec.decode(encoded));
  }
}
