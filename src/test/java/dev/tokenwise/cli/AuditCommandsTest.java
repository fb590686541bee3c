package dev.tokenwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.CallShape;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.store.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit and apply commands on a real SQLite log: what a user types and what they get. */
class AuditCommandsTest {
  @TempDir Path dir;
  private Path config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void a_log_with_an_faq_bot_that_repeats_itself() throws Exception {
    config = dir.resolve("tokenwise.yaml");
    Files.writeString(config, """
        # the team's gateway
        store: { url: "sqlite:%s" }
        providers:
          openai: { base_url: "http://127.0.0.1:9/v1" }
        """.formatted(dir.resolve("log.db")));
    Instant start = Instant.now().minus(Duration.ofDays(3));
    List<RequestRecord> rows = new ArrayList<>();
    Usage usage = new Usage(300, 0, 0, 0, 80, 0, false);
    long cost = PriceTable.bundled().picoUsd("openai", "gpt-4o-mini", usage, Tier.STANDARD).orElseThrow();
    for (int i = 0; i < 400; i++) {
      long question = i % 10 < 4 ? i % 7 : 1_000 + i; // 40 % ask one of seven questions again
      CallShape shape = new CallShape(question + 1, question + 1, 77, 77, 40, 1, 256, 5_000 + question,
          CallShape.REPEATABLE);
      rows.add(new RequestRecord("r-" + i, start.plusSeconds(60L * i), "t1", "faq-bot", "openai-chat",
          "/v1/chat/completions", "openai", "gpt-4o-mini", "gpt-4o-mini", 300, 0, 0, 0, 80, 0, false, cost, cost, 100,
          400, 200, false, "stop", 1, "miss", null, null, null, null).withShape(shape));
    }
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("log.db"))) {
      store.insert(rows);
    }
  }

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void audit_prints_markdown_that_names_the_repeats_and_their_recommendation() {
    assertEquals(0, run("audit", "--config", config.toString()), err.toString());
    String md = out.toString(StandardCharsets.UTF_8);
    assertTrue(md.contains("faq-bot"), md);
    assertTrue(md.contains("cache-exact/faq-bot"), md);
    assertTrue(md.contains("cache: { exact: true, ttl: 1h }"), md);
  }

  @Test
  void audit_writes_html_or_json_by_the_extension_and_prints_a_summary() throws Exception {
    assertEquals(0, run("audit", "--config", config.toString(), "--out", dir.resolve("a.json").toString()));
    JsonNode json = Json.MAPPER.readTree(dir.resolve("a.json").toFile());
    assertEquals(400, json.at("/totals/calls/count").asLong());
    assertTrue(out.toString().contains("recommendations worth"), out.toString());
    assertTrue(out.toString().contains("cache-exact/faq-bot"), out.toString());

    assertEquals(0, run("audit", "--config", config.toString(), "--since", "7d", "--out",
        dir.resolve("r/a.html").toString()));
    String html = Files.readString(dir.resolve("r/a.html"));
    assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<svg"), html.substring(0, 200));
  }

  @Test
  void apply_writes_the_safe_recommendation_keeps_the_comment_and_the_next_audit_shows_it_applied()
      throws Exception {
    assertEquals(0, run("apply", "--all-safe", "--config", config.toString()), err.toString());
    String yaml = Files.readString(config);
    assertTrue(yaml.startsWith("# the team's gateway"), yaml);
    assertTrue(yaml.contains("pattern: faq-bot") && yaml.contains("exact: true"), yaml);

    out.reset();
    assertEquals(0, run("audit", "--config", config.toString(), "--format", "json"));
    JsonNode json = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    List<String> statuses = new ArrayList<>();
    json.at("/recommendations").forEach(r -> {
      if (r.path("id").asText().equals("cache-exact/faq-bot")) {
        statuses.add(r.path("status").asText());
      }
    });
    assertEquals(List.of("applied"), statuses, json.at("/recommendations").toString());
  }

  @Test
  void bad_input_is_a_clear_error_and_no_log_is_not_a_crash() {
    assertEquals(2, run("audit", "--config", config.toString(), "--since", "soon"));
    assertTrue(err.toString().contains("--since needs a duration"), err.toString());
    assertEquals(2, run("audit", "--format", "pdf", "--config", config.toString()));
    assertTrue(err.toString().contains("--format must be md, html or json"), err.toString());
    assertEquals(2, run("apply", "--config", config.toString()));
    assertTrue(err.toString().contains("apply needs a recommendation id"), err.toString());
    assertEquals(1, run("apply", "cache-exact/nobody", "--config", config.toString()));
    assertEquals(2, run("audit", "--sinse", "7d"));
    assertTrue(err.toString().contains("unknown option '--sinse' for audit"), err.toString());

    Path empty = dir.resolve("empty.yaml");
    err.reset();
    assertEquals(1, run("audit", "--config", writeConfig(empty, dir.resolve("none/log.db"))));
    assertTrue(err.toString().contains("no request log at"), err.toString());
  }

  private static String writeConfig(Path file, Path db) {
    try {
      Files.writeString(file, "store: { url: \"sqlite:" + db + "\" }\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
  }
}
