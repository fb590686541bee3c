package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
  private static final Recommendation CACHE = new Recommendation("cache-exact/faq-bot", "faq-bot", "cache",
      Map.of("exact", true), false, null);
  private static final Recommendation CAP = new Recommendation("cap/classify-ticket", "classify-ticket",
      "max_tokens", Map.of("cap", "auto"), false, null);
  private static final Recommendation SWAP = new Recommendation("swap/classify-ticket", "classify-ticket",
      "route", Map.of("model", "gpt-4o-mini"), true, null);
  private static final Recommendation BLOCKED = new Recommendation("prompt-cache/faq-bot", "faq-bot",
      "prompt_cache", "auto", false, "the audit saw 3 calls; 100 are needed to size the cache");
  private static final Function<String, PatternFacts> FACTS = p -> new PatternFacts(p, "gpt-4o", "openai");

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Path file, List<Recommendation> available, String id, boolean allSafe) {
    out.reset();
    err.reset();
    return ApplyCommand.run(file, Map.of(), available, FACTS, id, allSafe,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("tokenwise.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void applies_one_recommendation_by_its_id() throws IOException {
    Path f = file("policies:\n  - match: { pattern: faq-bot }\n    early_exit: json\n");

    int code = run(f, List.of(CACHE, CAP), "cache-exact/faq-bot", false);

    assertEquals(0, code, err());
    assertEquals("applied cache-exact/faq-bot: policies[0] (match pattern faq-bot): cache set to { exact: true }\n"
        + f + " written; a running tokenwise serve puts it in force within a second\n", out());
    assertEquals(Map.of("exact", true), ConfigLoader.load(f, Map.of()).policies().get(0).get("cache"));
  }

  @Test
  void a_second_apply_says_it_is_already_there() throws IOException {
    Path f = file("policies:\n  - match: { pattern: faq-bot }\n    cache: { exact: true, ttl: 1h }\n");
    byte[] before = Files.readAllBytes(f);

    int code = run(f, List.of(CACHE), "cache-exact/faq-bot", false);

    assertEquals(0, code);
    assertEquals("cache-exact/faq-bot is already applied in " + f + "\n", out());
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void an_unknown_id_lists_the_known_ones() throws IOException {
    Path f = file("policies: []\n");

    assertEquals(1, run(f, List.of(CACHE, CAP), "cache-exact/faq", false));
    assertEquals("apply: the audit has no recommendation 'cache-exact/faq'; known: cache-exact/faq-bot,"
        + " cap/classify-ticket\n", err());

    assertEquals(1, run(f, List.of(), "cache-exact/faq", false));
    assertTrue(err().contains("it has none at all"), err());
  }

  @Test
  void a_blocked_recommendation_is_refused_with_its_reason() throws IOException {
    Path f = file("policies: []\n");
    byte[] before = Files.readAllBytes(f);

    assertEquals(1, run(f, List.of(BLOCKED), BLOCKED.id(), false));

    assertEquals("apply: prompt-cache/faq-bot is not applied: the audit saw 3 calls; 100 are needed to size the"
        + " cache\n", err());
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void one_that_changes_answers_is_applied_by_id_with_a_word_of_warning() throws IOException {
    Path f = file("policies: []\n");

    assertEquals(0, run(f, List.of(SWAP), SWAP.id(), false));

    assertTrue(out().contains("this tactic can change answers"), out());
  }

  @Test
  void neither_or_both_of_an_id_and_all_safe_is_bad_input() throws IOException {
    Path f = file("policies: []\n");

    assertEquals(2, run(f, List.of(CACHE), null, false));
    assertEquals(2, run(f, List.of(CACHE), CACHE.id(), true));
    assertTrue(err().contains("name one recommendation (tokenwise apply ID) or use --all-safe"), err());
  }

  @Test
  void a_config_that_does_not_load_is_bad_input() throws IOException {
    Path f = file("retyr: 3\n");

    assertEquals(2, run(f, List.of(CACHE), CACHE.id(), false));
    assertTrue(err().contains("does not load as it is"), err());
    assertEquals(2, run(f, List.of(CACHE), null, true));
  }

  @Test
  void a_change_the_loader_refuses_exits_1_and_names_the_problem() throws IOException {
    Path f = file("policies: []\n");
    Recommendation bad = new Recommendation("cache-exact/faq-bot", "faq-bot", "cache", Map.of("ttl", "90d"), false,
        null);

    assertEquals(1, run(f, List.of(bad), bad.id(), false));

    assertTrue(err().startsWith("apply: cache-exact/faq-bot is not applied: "), err());
    assertTrue(err().contains("policies[0].cache.ttl must be more than 0 and at most 30d"), err());
  }

  @Test
  void all_safe_applies_each_safe_one_and_lists_the_ones_left_out() throws IOException {
    Path f = file("""
        policies:
          - match: { model: gpt-4o }
            early_exit: json
        """);

    int code = run(f, List.of(CACHE, SWAP, CAP, BLOCKED), null, true);

    assertEquals(0, code, err());
    assertEquals("""
        applied cache-exact/faq-bot: added policies[0] for pattern faq-bot before policies[0] (match model gpt-4o): \
        cache set to { exact: true }, keeping its early_exit
        applied cap/classify-ticket: added policies[1] for pattern classify-ticket before policies[1] (match model \
        gpt-4o): max_tokens set to { cap: auto }, keeping its early_exit
        %s written (2 changes); a running tokenwise serve puts it in force within a second
        left out:
          swap/classify-ticket: can change answers; apply it by its id once you trust it
          prompt-cache/faq-bot: blocked: the audit saw 3 calls; 100 are needed to size the cache
        """.formatted(f), out());
    List<Map<String, Object>> policies = ConfigLoader.load(f, Map.of()).policies();
    assertTrue(Applied.applied(policies, FACTS.apply("faq-bot"), CACHE));
    assertTrue(Applied.applied(policies, FACTS.apply("classify-ticket"), CAP));

    assertEquals(0, run(f, List.of(CACHE, SWAP, CAP, BLOCKED), null, true));
    assertTrue(out().startsWith("every safe recommendation is already applied (2)\n"), out());
  }

  @Test
  void two_safe_ones_for_one_pattern_land_in_its_one_policy() throws IOException {
    Path f = dir.resolve("tokenwise.yaml");
    Recommendation early = new Recommendation("early-exit/faq-bot", "faq-bot", "early_exit", "json", false, null);

    assertEquals(0, run(f, List.of(CACHE, early), null, true), err());

    List<Map<String, Object>> policies = ConfigLoader.load(f, Map.of()).policies();
    assertEquals(1, policies.size());
    assertEquals(Map.of("match", Map.of("pattern", "faq-bot"), "cache", Map.of("exact", true), "early_exit", "json"),
        policies.get(0));
  }

  @Test
  void all_safe_with_nothing_safe_exits_1() throws IOException {
    Path f = file("policies: []\n");

    assertEquals(1, run(f, List.of(SWAP, BLOCKED), null, true));
    assertTrue(out().startsWith("no recommendation is safe to apply on its own\nleft out:\n"), out());
  }

  @Test
  void unknown_facts_match_the_pattern_alone() throws IOException {
    Path f = file("policies:\n  - match: { model: gpt-4o }\n    early_exit: json\n");

    int code = ApplyCommand.run(f, Map.of(), List.of(CACHE), p -> null, CACHE.id(), false,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(0, code, err());
    assertTrue(out().contains("added policies[1] for pattern faq-bot, after the others"), out());
  }
}
