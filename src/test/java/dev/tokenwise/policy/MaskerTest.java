package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MaskerTest {
  @Test
  void values_become_placeholders_and_words_stay() {
    assertEquals("Order <n> for <email> on <date>, ref <id>, said <q>",
        Masker.mask("Order 4411 for ann@example.com on 2026-11-26, ref AB-1234, said \"late again\""));
  }

  @Test
  void ids_times_and_amounts_are_masked_but_sentence_punctuation_is_kept() {
    assertEquals("Session <id> at <date>: pay <n>.",
        Masker.mask("Session 8f14e45f-ceea-467f-a0e6-2f5e0c7e3b1a at 12:30: pay 1,250.50."));
    assertEquals("It's <id> now", Masker.mask("It's 2026-11-26T10:00:00Z now"));
  }

  @Test
  void an_unclosed_or_multi_line_quote_is_text() {
    assertEquals("say \"hello\nworld\"", Masker.mask("say \"hello\nworld\""));
    assertEquals("the user's name is <q>", Masker.mask("the user's name is 'Ann'"));
  }
}
