package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEditorTest {
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test", "BACKUP_MODEL",
      "groq/llama-3.3-70b-versatile");
  private static final PatternFacts FAQ = new PatternFacts("faq-bot", "gpt-4o", "openai");
  private static final PatternFacts TICKETS = new PatternFacts("classify-ticket", "gpt-4o", "openai");

  @TempDir
  Path dir;

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("tokenwise.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private String apply(Path f, PatternFacts facts, String key, Object value) {
    return new ConfigEditor(f, ENV).apply(facts, key, value);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void sets_the_key_in_the_patterns_own_policy_and_keeps_every_other_byte() throws IOException {
    Path f = file("""
        # tokenwise for the support team
        server:
          port: ${PORT:-8787}   # the usual
        providers:
          openai: { api_key: "${OPENAI_API_KEY}" }

        policies:
          # the FAQ bot answers the same questions all day
          - match: { pattern: faq-bot }
            route: { model: gpt-4o-mini }   # cheap enough

          - match:
              model: gpt-4o
            max_tokens: { cap: 512 }   # a runaway guard
        # end
        """);

    String said = apply(f, FAQ, "cache", map("exact", true, "ttl", "1h"));

    assertEquals("policies[0] (match pattern faq-bot): cache set to { exact: true, ttl: 1h }", said);
    assertEquals("""
        # tokenwise for the support team
        server:
          port: ${PORT:-8787}   # the usual
        providers:
          openai: { api_key: "${OPENAI_API_KEY}" }

        policies:
          # the FAQ bot answers the same questions all day
          - match: { pattern: faq-bot }
            route: { model: gpt-4o-mini }   # cheap enough
            cache: { exact: true, ttl: 1h }

          - match:
              model: gpt-4o
            max_tokens: { cap: 512 }   # a runaway guard
        # end
        """, Files.readString(f));
  }

  @Test
  void merges_a_map_into_the_map_a_block_policy_has() throws IOException {
    Path f = file("""
        policies:
          - match:
              tag: faq-bot
            cache:
              exact: true
              ttl: 1h    # an hour is fine
            fallback:
              - groq/llama-3.3-70b-versatile
        """);

    String said = apply(f, FAQ, "cache", map("semantic", true));

    assertEquals("policies[0] (match tag faq-bot): cache set to { semantic: true }, keeping its cache.exact,"
        + " cache.ttl", said);
    assertEquals("""
        policies:
          - match:
              tag: faq-bot
            cache:
              exact: true
              ttl: 1h    # an hour is fine
              semantic: true
            fallback:
              - groq/llama-3.3-70b-versatile
        """, Files.readString(f));
  }

  @Test
  void merges_into_a_flow_policy_replacing_only_the_entries_that_differ() throws IOException {
    Path f = file("""
        policies:
          - { match: { pattern: faq-bot }, cache: { exact: true, ttl: "2h", semantic: { threshold: 0.9 } } }
        """);

    apply(f, FAQ, "cache", map("semantic", true, "ttl", "1h"));

    assertEquals("""
        policies:
          - { match: { pattern: faq-bot }, cache: { exact: true, ttl: 1h, semantic: { threshold: 0.9 } } }
        """, Files.readString(f), "semantic: true is already given by its threshold, so it stays");
  }

  @Test
  void adds_a_key_to_a_flow_policy_in_flow_style() throws IOException {
    Path f = file("""
        policies:
          - { match: { pattern: faq-bot }, route: { model: gpt-4o-mini } }   # cheap
        """);

    apply(f, FAQ, "max_tokens", map("cap", "auto"));

    assertEquals("""
        policies:
          - { match: { pattern: faq-bot }, route: { model: gpt-4o-mini }, max_tokens: { cap: auto } }   # cheap
        """, Files.readString(f));
  }

  @Test
  void replaces_a_value_that_is_no_map_whatever_its_style() throws IOException {
    Path f = file("""
        policies:
          - match: { pattern: faq-bot }
            fallback:
              - groq/llama-3.3-70b-versatile   # fast
              - deepseek/deepseek-chat
            early_exit: json
        """);

    apply(f, FAQ, "fallback", List.of("claude-haiku-4-5"));

    assertEquals("""
        policies:
          - match: { pattern: faq-bot }
            fallback: [ claude-haiku-4-5 ]
            early_exit: json
        """, Files.readString(f));
  }

  @Test
  void a_long_value_is_written_in_block_style_below_its_key() throws IOException {
    Path f = file("""
        policies:
          - match: { pattern: faq-bot }
            early_exit: json
        """);
    List<String> chain = List.of("groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat", "claude-haiku-4-5",
        "gpt-4o-mini");

    apply(f, FAQ, "fallback", chain);

    assertEquals("""
        policies:
          - match: { pattern: faq-bot }
            early_exit: json
            fallback:
              - groq/llama-3.3-70b-versatile
              - deepseek/deepseek-chat
              - claude-haiku-4-5
              - gpt-4o-mini
        """, Files.readString(f));
  }

  @Test
  void inserts_a_policy_before_a_broader_one_and_copies_its_tactics() throws IOException {
    Path f = file("""
        policies:
          - match: { tag: faq-bot }
            cache: { exact: true }
          # everything on gpt-4o gets a cap
          - match: { model: gpt-4o }
            max_tokens: { cap: 512 }
            fallback: [ "${BACKUP_MODEL}" ]
        """);

    String said = apply(f, TICKETS, "cache", map("exact", true, "ttl", "1h"));

    assertEquals("added policies[1] for pattern classify-ticket before policies[1] (match model gpt-4o):"
        + " cache set to { exact: true, ttl: 1h }, keeping its max_tokens, fallback", said);
    assertEquals("""
        policies:
          - match: { tag: faq-bot }
            cache: { exact: true }
          - match: { pattern: classify-ticket }
            max_tokens: { cap: 512 }
            fallback: [ "${BACKUP_MODEL}" ]
            cache: { exact: true, ttl: 1h }
          # everything on gpt-4o gets a cap
          - match: { model: gpt-4o }
            max_tokens: { cap: 512 }
            fallback: [ "${BACKUP_MODEL}" ]
        """, Files.readString(f));
  }

  @Test
  void a_copied_map_is_merged_with_the_new_value() throws IOException {
    Path f = file("""
        policies:

          - match: { pattern: faq-bot, model: gpt-4o }
            cache:
              exact: true
              ttl: 2h

          - match: { tag: other }
            early_exit: json
        """);

    String said = apply(f, FAQ, "cache", map("semantic", true));

    assertEquals("added policies[0] for pattern faq-bot before policies[0] (match pattern faq-bot, model gpt-4o):"
        + " cache set to { semantic: true }, keeping its cache.exact, cache.ttl", said);
    assertEquals("""
        policies:

          - match: { pattern: faq-bot }
            cache: { exact: true, ttl: 2h, semantic: true }
          - match: { pattern: faq-bot, model: gpt-4o }
            cache:
              exact: true
              ttl: 2h

          - match: { tag: other }
            early_exit: json
        """, Files.readString(f));
  }

  @Test
  void a_pattern_no_policy_matches_gets_a_new_last_policy() throws IOException {
    Path f = file("""
        policies:
          - match: { tag: faq-bot }
            cache: { exact: true }

          - match: { model: claude-sonnet-4-5 }
            max_tokens: { cap: 1024 }
            # prompt_cache: auto   (later)
        # the end
        """);

    String said = apply(f, TICKETS, "max_tokens", map("cap", "auto"));

    assertEquals("added policies[2] for pattern classify-ticket, after the others (none matched its calls):"
        + " max_tokens set to { cap: auto }", said);
    assertEquals("""
        policies:
          - match: { tag: faq-bot }
            cache: { exact: true }

          - match: { model: claude-sonnet-4-5 }
            max_tokens: { cap: 1024 }
            # prompt_cache: auto   (later)

          - match: { pattern: classify-ticket }
            max_tokens: { cap: auto }
        # the end
        """, Files.readString(f));
  }

  @Test
  void a_list_written_at_its_keys_column_keeps_that_style() throws IOException {
    Path f = file("""
        policies:
        - match: {model: gpt-4o}
          route: {model: gpt-4o-mini}
        """);

    apply(f, TICKETS, "prompt_cache", "auto");

    assertEquals("""
        policies:
        - match: { pattern: classify-ticket }
          route: { model: gpt-4o-mini }
          prompt_cache: auto
        - match: {model: gpt-4o}
          route: {model: gpt-4o-mini}
        """, Files.readString(f));
  }

  @Test
  void a_flow_list_of_policies_gets_a_flow_policy() throws IOException {
    Path f = file("policies: [ { match: { model: gpt-4o }, early_exit: json } ]\n");

    apply(f, TICKETS, "prompt_cache", "auto");

    assertEquals("policies: [ { match: { pattern: classify-ticket }, early_exit: json, prompt_cache: auto },"
        + " { match: { model: gpt-4o }, early_exit: json } ]\n", Files.readString(f));
  }

  @Test
  void an_empty_list_of_policies_gets_its_first() throws IOException {
    Path flow = file("policies: []   # none yet\n");
    apply(flow, FAQ, "early_exit", "json");
    assertEquals("policies: [ { match: { pattern: faq-bot }, early_exit: json } ]   # none yet\n",
        Files.readString(flow));

    Path empty = file("server: { port: 9000 }\npolicies:   # none yet\nlog: { retention: 7d }\n");
    apply(empty, FAQ, "early_exit", "json");
    assertEquals("""
        server: { port: 9000 }
        policies:   # none yet
          - match: { pattern: faq-bot }
            early_exit: json
        log: { retention: 7d }
        """, Files.readString(empty));
  }

  @Test
  void a_file_without_policies_gets_the_key_at_its_end() throws IOException {
    Path f = file("""
        # mine
        server:
          port: 9000
        log: { retention: 7d }   # short""");

    String said = apply(f, FAQ, "cache", map("exact", true));

    assertEquals("added policies[0] for pattern faq-bot: cache set to { exact: true }", said);
    assertEquals("""
        # mine
        server:
          port: 9000
        log: { retention: 7d }   # short

        policies:
          - match: { pattern: faq-bot }
            cache: { exact: true }
        """, Files.readString(f));
  }

  @Test
  void no_file_is_created_with_a_header_and_one_policy() throws IOException {
    Path f = dir.resolve("tokenwise.yaml");

    String said = apply(f, FAQ, "cache", map("exact", true, "ttl", "1h"));

    assertEquals("created " + f + ": added policies[0] for pattern faq-bot: cache set to"
        + " { exact: true, ttl: 1h }", said);
    String text = Files.readString(f);
    assertTrue(text.startsWith("# tokenwise configuration"), text);
    assertTrue(text.endsWith("""
        policies:
          - match: { pattern: faq-bot }
            cache: { exact: true, ttl: 1h }
        """), text);
    assertEquals(Map.of("exact", true, "ttl", "1h"), ConfigLoader.load(f, ENV).policies().get(0).get("cache"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void a_value_that_would_break_the_config_is_refused_and_the_file_left_alone() throws IOException {
    Path f = file("""
        policies:
          - match: { pattern: faq-bot }   # keep me
            early_exit: json
        """);
    byte[] before = Files.readAllBytes(f);

    ConfigEditor.Refused refused = assertThrows(ConfigEditor.Refused.class,
        () -> apply(f, FAQ, "cache", map("exact", true, "ttl", "90d")));

    assertFalse(refused.badInput());
    assertTrue(refused.getMessage().contains("would not load after the change"), refused.getMessage());
    assertTrue(refused.getMessage().contains("line 4: policies[0].cache.ttl must be more than 0 and at most 30d"),
        refused.getMessage());
    assertArrayEquals(before, Files.readAllBytes(f));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temp file is left behind");
    }
  }

  @Test
  void an_unknown_policy_key_is_refused_with_the_loaders_suggestion() throws IOException {
    Path f = file("policies:\n  - match: { pattern: faq-bot }\n");

    ConfigEditor.Refused refused = assertThrows(ConfigEditor.Refused.class,
        () -> apply(f, FAQ, "max_token", map("cap", 5)));

    assertTrue(refused.getMessage().contains("unknown key 'max_token' in policies[0] (did you mean 'max_tokens'?)"),
        refused.getMessage());
  }

  @Test
  void a_file_that_does_not_load_as_it_is_is_bad_input() throws IOException {
    Path f = file("retyr: { max_attempts: 3 }\n");

    ConfigEditor.Refused refused = assertThrows(ConfigEditor.Refused.class,
        () -> apply(f, FAQ, "early_exit", "json"));

    assertTrue(refused.badInput());
    assertTrue(refused.getMessage().contains("does not load as it is"), refused.getMessage());
    assertTrue(refused.getMessage().contains("line 1: unknown key 'retyr'"), refused.getMessage());
  }

  @Test
  void an_unset_env_reference_is_checked_with_the_same_environment() throws IOException {
    Path f = file("store: { url: \"${STORE_URL}\" }\n");

    assertThrows(ConfigEditor.Refused.class, () -> apply(f, FAQ, "early_exit", "json"));
    String said = new ConfigEditor(f, Map.of("STORE_URL", "sqlite:/tmp/x.db")).apply(FAQ, "early_exit", "json");

    assertTrue(said.startsWith("added policies[0]"), said);
  }

  @Test
  void aliases_in_the_policies_are_left_to_a_person() throws IOException {
    Path f = file("""
        policies:
          - match: { tag: a }
            cache: &c { exact: true }
          - match: { tag: b }
            cache: *c
        """);

    ConfigEditor.Refused refused = assertThrows(ConfigEditor.Refused.class,
        () -> apply(f, FAQ, "early_exit", "json"));

    assertTrue(refused.getMessage().contains("- match: { pattern: faq-bot }\n    early_exit: json"),
        refused.getMessage());
  }

  @Test
  void windows_line_breaks_and_wide_characters_are_kept() throws IOException {
    Path f = file("# caf\u00e9 \uD83D\uDE80\r\npolicies:\r\n  - match: { pattern: faq-bot }  # \uD83D\uDE80\r\n"
        + "    early_exit: json\r\n");

    apply(f, FAQ, "prompt_cache", "auto");

    assertEquals("# caf\u00e9 \uD83D\uDE80\r\npolicies:\r\n  - match: { pattern: faq-bot }  # \uD83D\uDE80\r\n"
        + "    early_exit: json\r\n    prompt_cache: auto\r\n", Files.readString(f));
  }

  @Test
  void says_so_and_writes_nothing_when_the_value_is_already_there() throws IOException {
    Path f = file("policies:\n  - match: { pattern: faq-bot }\n    cache: { exact: true, ttl: 60m }\n");
    byte[] before = Files.readAllBytes(f);

    String said = apply(f, FAQ, "cache", map("ttl", "1h"));

    assertEquals("policies[0] already gives pattern faq-bot cache { ttl: 1h }; nothing written", said);
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void a_symbolic_link_stays_a_link_to_the_changed_file() throws IOException {
    Path real = dir.resolve("real.yaml");
    Files.writeString(real, "policies:\n  - match: { pattern: faq-bot }\n    early_exit: json\n");
    Path link = Files.createSymbolicLink(dir.resolve("tokenwise.yaml"), real);

    apply(link, FAQ, "prompt_cache", "auto");

    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.readString(real).endsWith("    prompt_cache: auto\n"));
  }

  @Test
  void text_values_are_quoted_when_yaml_would_read_them_as_something_else() throws IOException {
    Path f = file("policies:\n  - match: { pattern: faq-bot }\n");

    apply(f, FAQ, "route", map("model", "ollama/llama3.2:3b"));

    assertTrue(Files.readString(f).endsWith("    route: { model: \"ollama/llama3.2:3b\" }\n"), Files.readString(f));
    assertEquals(Map.of("model", "ollama/llama3.2:3b"), ConfigLoader.load(f, ENV).policies().get(0).get("route"));
  }

  @Test
  void odd_but_valid_layouts_are_edited_in_place() throws IOException {
    Path f = file("""
        policies:
          -
            match: { model: gpt-4o }
            context: { keep_last_turns: 6 }
          - {
              match: { pattern: faq-bot },
              early_exit: json,
            }
        """);

    apply(f, TICKETS, "prompt_cache", "auto");
    apply(f, new PatternFacts("faq-bot", "claude-haiku-4-5", "anthropic"), "prompt_cache", "auto");

    assertEquals("""
        policies:
          - match: { pattern: classify-ticket }
            context: { keep_last_turns: 6 }
            prompt_cache: auto
          -
            match: { model: gpt-4o }
            context: { keep_last_turns: 6 }
          - {
              match: { pattern: faq-bot },
              early_exit: json, prompt_cache: auto,
            }
        """, Files.readString(f));
  }

  @Test
  void a_value_replaced_by_a_long_one_goes_below_its_key() throws IOException {
    Path f = file("""
        policies:
          - match: { pattern: faq-bot }
            fallback: [ deepseek/deepseek-chat ]   # cheap
            early_exit: json
        """);

    apply(f, FAQ, "fallback", List.of("groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat",
        "claude-haiku-4-5", "gpt-4o-mini"));

    assertEquals("""
        policies:
          - match: { pattern: faq-bot }
            fallback:
              - groq/llama-3.3-70b-versatile
              - deepseek/deepseek-chat
              - claude-haiku-4-5
              - gpt-4o-mini   # cheap
            early_exit: json
        """, Files.readString(f));
  }

  @Test
  void a_folder_that_does_not_exist_is_refused() {
    Path f = dir.resolve("missing/tokenwise.yaml");

    ConfigEditor.Refused refused = assertThrows(ConfigEditor.Refused.class, () -> apply(f, FAQ, "early_exit", "json"));

    assertTrue(refused.getMessage().startsWith("cannot write " + f), refused.getMessage());
  }
}
