package dev.tokenwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.store.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval command on a real SQLite log and the simulator: what a user types and what they get. */
class EvalCommandTest {
  static Simulator sim;
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test");

  @BeforeAll
  static void simulator() {
    sim = Simulator.start(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void a_log_of_a_labelling_pattern() throws Exception {
    Files.writeString(dir.resolve("tokenwise.yaml"), """
        store: { url: "sqlite:%s" }
        providers:
          openai: { base_url: "%s/v1" }
        """.formatted(dir.resolve("log.db"), sim.baseUrl()));
    List<RequestRecord> rows = new ArrayList<>();
    Instant start = Instant.now().minus(Duration.ofDays(2));
    for (int i = 0; i < 30; i++) {
      String question = "Label this: parcel " + i;
      // the answer gpt-4o gives, so that the log holds what production saw
      String answer = ask("gpt-4o", question);
      rows.add(new RequestRecord("r" + i, start.plusSeconds(60L * i), "t", "labels", "openai-chat",
          "/v1/chat/completions", "openai", "gpt-4o", "gpt-4o-2024-08-06", 20, 0, 0, 0, 5, 0, false, 100_000L,
          100_000L, 5, 10, 200, false, "stop", 1, "miss", null, body("gpt-4o", question), answer, null));
    }
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("log.db"))) {
      store.insert(rows);
    }
  }

  private static String body(String model, String question) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private static String ask(String model, String question) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .header("authorization", "Bearer sk-test").header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(model, question))).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private int run(String... words) {
    out.reset();
    err.reset();
    Args a = Args.parse("eval", List.of(words), EvalCommand.VALUED, EvalCommand.SWITCHES);
    return EvalCommand.run(a, ENV, Clock.systemUTC(), dir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void json_output_carries_the_verdict_and_every_candidate_and_the_files_are_written() {
    assertEquals(0, run("--pattern", "labels", "--candidates", "gpt-4.1-mini,gpt-4o-mini", "--sample", "20",
        "--scorer", "exact", "--format", "json", "--out", "evals"), err.toString(StandardCharsets.UTF_8));
    JsonNode j = Json.tryParse(out().getBytes(StandardCharsets.UTF_8));
    assertEquals("labels", j.path("pattern").asText());
    assertEquals("gpt-4o", j.path("current_model").asText());
    assertTrue(j.path("verdict").has("model") && j.path("verdict").has("monthly_saving_usd"), out());
    assertEquals(List.of("gpt-4o", "gpt-4.1-mini", "gpt-4o-mini"), names(j));
    for (JsonNode c : j.path("candidates")) {
      assertTrue(c.has("quality") && c.has("pass_rate") && c.has("cost_per_1k_usd"), c.toString());
    }
    String id = j.path("id").asText();
    assertTrue(Files.exists(dir.resolve("evals/" + id + ".md")));
    assertTrue(Files.exists(dir.resolve("evals/" + id + ".svg")));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("estimate: 20 items × 3 models"), "the estimate"
        + " goes to stderr when stdout is JSON");

    assertEquals(0, run("--list"));
    assertTrue(out().startsWith(id + "  "), out());
    assertEquals(0, run("--show", id));
    assertTrue(out().contains("# Eval sweep " + id + ": pattern `labels`"), out());
    assertEquals(0, run("--show", id, "--format", "svg"));
    assertTrue(out().startsWith("<svg"), out());
  }

  private static List<String> names(JsonNode j) {
    List<String> out = new ArrayList<>();
    j.path("candidates").forEach(c -> out.add(c.path("model").asText()));
    return out;
  }

  @Test
  void a_sweep_over_its_budget_is_refused_with_status_2() {
    assertEquals(2, run("--pattern", "labels", "--candidates", "gpt-4o-mini", "--budget-usd", "0.000001"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("above its budget"), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, run("--list"));
    assertTrue(out().startsWith("no eval runs yet"), "a refused sweep keeps no run: " + out());
  }

  @Test
  void bad_usage_is_explained() {
    assertThrows(IllegalArgumentException.class, () -> run("--sample", "5"), "no pattern");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("--pattern", "labels", "--threshold", "95"));
    assertTrue(e.getMessage().contains("in (0, 1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pattern", "labels", "--sample", "0"));
    assertTrue(e.getMessage().contains("--sample"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pattern", "labels", "--format", "svg"));
    assertTrue(e.getMessage().contains("--format"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pattern", "nobody", "--candidates", "gpt-4o-mini"));
    assertTrue(e.getMessage().contains("no answered calls of pattern nobody"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--pattern", "labels", "--scorer", "fuzzy"));
    assertTrue(e.getMessage().contains("fuzzy"), e.getMessage());
    assertEquals(0, run("--list"));
    assertTrue(out().startsWith("no eval runs yet"), "a refused sweep leaves no run behind: " + out());
    assertEquals(1, run("--show", "ev-none"));
  }
}
