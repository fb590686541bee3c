package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.core.Usage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidatesTest {
  private static final PriceTable PRICES = PriceTable.bundled();
  private static final Usage CALL = new Usage(1_000, 0, 0, 0, 100, 0, true);

  private static List<String> names(List<Candidates.Candidate> c) {
    return c.stream().map(Candidates.Candidate::name).toList();
  }

  @Test
  void only_cheaper_models_of_configured_providers_are_chosen_cheapest_first() {
    List<Candidates.Candidate> c = Candidates.choose(PRICES, Set.of("openai"), "openai", "gpt-4o", CALL,
        new Candidates.Needs(false, false, 1_000), 20);
    assertFalse(c.isEmpty());
    assertTrue(names(c).contains("gpt-4o-mini"));
    assertTrue(names(c).contains("gpt-4.1-mini"));
    assertFalse(names(c).contains("gpt-4o"), "not the model in use");
    assertTrue(names(c).contains("gpt-4.1"), "$2/$8 against gpt-4o's $2.50/$10: cheaper on any mix");
    long now = dev.tokenwise.analytics.Cost.picoUsd(CALL, PRICES.find("openai", "gpt-4o").orElseThrow(),
        dev.tokenwise.analytics.Tier.STANDARD).orElseThrow();
    assertTrue(c.stream().allMatch(x -> x.picoPerCall() < now), "every one costs less a call than gpt-4o");
    assertTrue(c.stream().noneMatch(x -> x.name().contains("embedding")), "no embedding model");
    assertTrue(c.stream().allMatch(x -> x.provider().equals("openai")));
    for (int i = 1; i < c.size(); i++) {
      assertTrue(c.get(i - 1).picoPerCall() <= c.get(i).picoPerCall(), "cheapest first");
    }
  }

  @Test
  void other_providers_are_named_with_their_prefix_when_the_catalog_would_not_find_them() {
    List<Candidates.Candidate> c = Candidates.choose(PRICES, Set.of("openai", "anthropic", "groq"), "openai",
        "gpt-4o", CALL, new Candidates.Needs(false, false, 1_000), 50);
    assertTrue(names(c).contains("claude-haiku-4-5"), names(c).toString());
    assertTrue(names(c).contains("groq/llama-3.1-8b-instant"), names(c).toString());
  }

  @Test
  void more_than_wanted_are_spread_over_the_price_range() {
    List<Candidates.Candidate> all = Candidates.choose(PRICES, Set.of("openai", "anthropic", "groq", "google",
        "deepseek", "mistral"), "anthropic", "claude-opus-4-1", CALL, new Candidates.Needs(false, false, 1_000), 100);
    List<Candidates.Candidate> six = Candidates.choose(PRICES, Set.of("openai", "anthropic", "groq", "google",
        "deepseek", "mistral"), "anthropic", "claude-opus-4-1", CALL, new Candidates.Needs(false, false, 1_000), 6);
    assertTrue(all.size() > 6);
    assertEquals(6, six.size());
    assertEquals(all.get(0), six.get(0), "the cheapest is tried");
    assertEquals(all.get(all.size() - 1), six.get(5), "and the dearest of the cheaper ones");
  }

  @Test
  void a_model_that_cannot_take_the_calls_is_left_out() {
    assertFalse(Candidates.able("deepseek-reasoner", new Candidates.Needs(true, false, 1_000)), "no tools");
    assertTrue(Candidates.able("deepseek-reasoner", new Candidates.Needs(false, true, 1_000)));
    assertFalse(Candidates.able("gpt-4o-mini", new Candidates.Needs(false, false, 200_000)), "128k context");
    assertTrue(Candidates.able("gpt-4.1-mini", new Candidates.Needs(false, false, 200_000)));
    assertTrue(Candidates.able("some-new-model", new Candidates.Needs(true, true, 10_000_000)), "unknown: able");
    assertFalse(Candidates.able("o4-mini", new Candidates.Needs(false, false, 1_000, true)), "max_tokens: 400");
    assertFalse(Candidates.able("gpt-5-nano", new Candidates.Needs(false, false, 1_000, true)));
    assertTrue(Candidates.able("gpt-5-nano", new Candidates.Needs(false, false, 1_000, false)));
    assertTrue(Candidates.able("gpt-4.1-nano", new Candidates.Needs(false, false, 1_000, true)));
    List<Candidates.Candidate> c = Candidates.choose(PRICES, Set.of("openai"), "openai", "gpt-4o",
        new Usage(150_000, 0, 0, 0, 100, 0, true), new Candidates.Needs(false, false, 150_000), 20);
    assertFalse(names(c).contains("gpt-4o-mini"), names(c).toString());
  }
}
