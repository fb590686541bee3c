package dev.tokenwise.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageEstimatorTest {
  @Test
  void counts_o200k_tokens_and_nothing_for_no_text() {
    assertEquals(3, UsageEstimator.countTokens("Hi there!"));
    assertEquals(0, UsageEstimator.countTokens(""));
    assertEquals(0, UsageEstimator.countTokens(null));
  }

  @Test
  void special_token_markers_are_counted_as_text_instead_of_failing() {
    assertTrue(UsageEstimator.countTokens("<|endoftext|>") > 1);
  }

  @Test
  void openai_input_follows_the_cookbook_overhead() {
    // system: 3 + "system" 1 + "You are terse." 4 = 8; user: 3 + "user" 1 + "Say hi" 2 = 6; priming 3
    var request = Json.tryParse(("{\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Say hi\"}]}]}")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(17, UsageEstimator.estimateOpenAiInput(request));
  }

  @Test
  void known_input_is_kept_and_output_never_drops_below_what_was_reported() {
    Usage reported = new Usage(377, 10, 20, 30, 5, 0, false);
    assertEquals(new Usage(377, 10, 20, 30, 5, 0, true), UsageEstimator.withKnownInput(reported, "Hi"));
    assertEquals(new Usage(377, 10, 20, 30, 10, 0, true),
        UsageEstimator.withKnownInput(reported, "I'll check the current weather in Paris for you."));
  }
}
