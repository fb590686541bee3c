package dev.tokenwise.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** What needs no server: the key layout. The rest is in RedisAnswersIT, against a real Redis. */
class RedisAnswersTest {

  @Test
  void names_keys_under_the_namespace_so_that_answers_and_indexes_never_meet() throws Exception {
    try (RedisAnswers r = RedisAnswers.open("redis://127.0.0.1:1", Clock.systemUTC())) {
      assertEquals("tokenwise:cache:a:0f3c", r.answerKey("0f3c"));
      assertEquals("tokenwise:cache:p:faq", r.patternKey("faq"));
      assertEquals("tokenwise:cache:semantic", r.semanticKey());
      assertEquals("tokenwise:cache:feed", r.channel());
      // A pattern that looks like an answer key still lands under p:.
      assertFalse(r.patternKey("a:0f3c").equals(r.answerKey("0f3c")));
    }
  }

  @Test
  void makes_a_namespace_literal_for_scan() {
    assertEquals("tokenwise:cache:", RedisAnswers.glob("tokenwise:cache:"));
    assertEquals("a\\*b\\?c\\[d\\]e\\\\f", RedisAnswers.glob("a*b?c[d]e\\f"));
  }
}
