package dev.tokenwise.audit.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeadDiffTest {
  @Test
  void shows_the_differing_word_after_the_word_before_it() {
    assertEquals("“…Date: 2026-11-02.…” in one call, “…Date: 2026-11-03.…” in another",
        HeadDiff.describe("You are terse.\nDate: 2026-11-02.\nAnswer in English.",
            "You are terse.\nDate: 2026-11-03.\nAnswer in English."));
  }

  @Test
  void copes_with_a_head_that_only_grows_and_with_an_empty_one() {
    assertEquals("“user 17” in one call, “user 1742” in another", HeadDiff.describe("user 17", "user 1742"));
    assertEquals("“” in one call, “x” in another", HeadDiff.describe("", "x"));
  }
}
