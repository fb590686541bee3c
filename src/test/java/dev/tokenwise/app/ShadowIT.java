package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.audit.AuditReport;
import dev.tokenwise.audit.JsonReport;
import dev.tokenwise.audit.MarkdownReport;
import dev.tokenwise.audit.Period;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.server.ShadowTap;
import dev.tokenwise.store.ShadowPair;
import dev.tokenwise.store.ShadowSummary;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow tests end to end: a policy copies a tag's gpt-4o calls to gpt-4o-mini, which the simulator
 * makes answer 2 s late; the clients neither wait for the copies nor see them, and the pairs are kept,
 * scored, capped and summed in the audit.
 */
class ShadowIT {
  private static final Duration STALL = Duration.ofSeconds(2);
  /** What the small budget lets through: some copies of the "tight" tag, not all (see the test). */
  private static final String TIGHT_BUDGET = "0.0004";
  @TempDir static Path dir;
  @TempDir static Path plainDir;
  static Simulator sim;
  static GatewayHarness h;
  static GatewayHarness plain;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
    sim.on("gpt-4o-mini").stall(STALL);
    sim.on("gpt-4o").matching("please fail").fail(400);
    // the small model gets the hard tickets wrong (difficulty 4 against its skill of 2), the easy ones right
    sim.on(dev.tokenwise.provider.sim.Rule.ANY_MODEL).matching("HARD ticket").difficulty(4);
    sim.on(dev.tokenwise.provider.sim.Rule.ANY_MODEL).matching("EASY ticket").difficulty(1);
    Config.Auth auth = new Config.Auth("test-salt", Map.of(), false, null);
    h = new GatewayHarness(sim, dir, Map.of("anthropic", "sk-ant-gateway"), auth, List.of(
        shadow("classify", "gpt-4o-mini", "100%", "10"),
        shadow("chat", "gpt-4o-mini", "100%", "10"),
        shadow("tight", "claude-haiku-4-5", "100%", TIGHT_BUDGET),
        shadow("keyless", "groq/llama-3.3-70b-versatile", "100%", "10"),
        Map.of("match", Map.of("tag", "labels"), "shadow", Map.of("model", "gpt-4.1-nano", "sample", "100%",
            "budget_usd_per_day", "10", "scorer", "exact")),
        Map.of("match", Map.of("tag", "cached"), "cache", Map.of("exact", true, "ttl", "1h"),
            "shadow", Map.of("model", "gpt-4o-mini", "sample", "100%", "budget_usd_per_day", 10))), c -> c);
    plain = new GatewayHarness(sim, plainDir, Map.of("anthropic", "sk-ant-gateway"), auth, List.of(), c -> c);
    try {
      // one call of each kind first, so that the timed calls are not a cold JVM's first
      for (GatewayHarness g : List.of(h, plain)) {
        call(g, "warm-up", false, openAi("warm up", false));
        call(g, "warm-up", true, anthropic("warm up", true));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> shadow(String tag, String model, String sample, String budget) {
    return Map.of("match", Map.of("tag", tag), "shadow", Map.of("model", model, "sample", sample,
        "budget_usd_per_day", budget));
  }

  @AfterAll
  static void stop() {
    h.close();
    plain.close();
    sim.close();
  }

  private static String openAi(String text, boolean stream) {
    return "{\"model\":\"gpt-4o\",\"temperature\":0," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"system\",\"content\":\"Classify the ticket.\"},{\"role\":\"user\",\"content\":\""
        + text + "\"}]}";
  }

  private static String anthropic(String text, boolean stream) {
    return "{\"model\":\"gpt-4o\",\"max_tokens\":200," + (stream ? "\"stream\":true," : "")
        + "\"system\":\"Classify the ticket.\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  /** One call, timed from sending to the last byte of its answer. */
  private record Timed(HttpResponse<String> res, long millis) {
    String id() {
      return res.headers().firstValue("x-tokenwise-request-id").orElseThrow();
    }
  }

  private static Timed call(GatewayHarness g, String tag, boolean anthropicClient, String body) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res = g.post(anthropicClient ? "/v1/messages" : "/v1/chat/completions", body,
        anthropicClient ? "x-api-key" : "authorization", anthropicClient ? "sk-test" : "Bearer sk-test",
        "anthropic-version", "2023-06-01", "content-type", "application/json", "x-tokenwise-tag", tag);
    return new Timed(res, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The answer with what differs between two calls of the same request taken out: ids, times, request ids,
   * a stream's random padding.
   */
  private static String normalised(String body) {
    return body.replaceAll("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\":\"_\"")
        .replaceAll("\"obfuscation\"\\s*:\\s*\"[^\"]*\"", "\"obfuscation\":\"_\"")
        .replaceAll("\"created\"\\s*:\\s*\\d+", "\"created\":0")
        .replaceAll("\"system_fingerprint\"\\s*:\\s*\"[^\"]*\"", "\"system_fingerprint\":\"_\"")
        .replaceAll("x-tokenwise-request-id=\\S+", "");
  }

  /** Waits until a pattern has {@code n} pairs, each answered one scored; returns them oldest first. */
  private static List<ShadowPair> awaitPairs(String pattern, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<ShadowPair> pairs = h.gateway.store().shadows().recent(pattern, 500);
      if (pairs.size() >= n && pairs.stream().allMatch(p -> !p.answered() || p.score() != null)) {
        return pairs.reversed();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("pattern " + pattern + " has " + pairs.size() + " pairs, waited for " + n + ": "
            + pairs);
      }
      Thread.sleep(20);
    }
  }

  /** Waits until every sample of a shadow taken so far came to an end (copied, skipped or dropped). */
  private static ShadowTap.Counts awaitSettled(String pattern, long sampled) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      ShadowTap.Counts c = counts(pattern);
      if (c != null && c.sampled() >= sampled && c.copied() + c.dropped() + c.skippedBudget() + c.skippedUnpriced()
          + c.skippedKey() + c.failed() == c.sampled() && h.gateway.shadows().inFlight() == 0) {
        return c;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the samples of " + pattern + " did not settle: " + c);
      }
      Thread.sleep(20);
    }
  }

  private static ShadowTap.Counts counts(String pattern) {
    return h.gateway.shadows().counts().stream().filter(c -> c.pattern().equals(pattern)).findFirst().orElse(null);
  }

  private static long logRows(String sql) throws Exception {
    h.gateway.writer().flush(Duration.ofSeconds(5));
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tokenwise.db"));
        var s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void calls_are_copied_in_the_background_and_the_client_neither_waits_for_nor_sees_the_copy() throws Exception {
    List<String> bodies = List.of(openAi("Ticket: my parcel is late", false),
        openAi("Ticket: I was charged twice", false), anthropic("Ticket: the app crashes on start", false));
    long rowsBefore = logRows("SELECT COUNT(*) FROM requests");
    List<Timed> shadowed = new ArrayList<>();
    for (String body : bodies) {
      boolean anthropicClient = body.contains("\"system\":\"");
      Timed t = call(h, "classify", anthropicClient, body);
      Timed p = call(plain, "classify", anthropicClient, body);
      assertEquals(200, t.res().statusCode(), t.res().body());
      assertEquals(normalised(p.res().body()), normalised(t.res().body()), "the same answer as without the shadow");
      assertTrue(t.millis() < STALL.toMillis() / 2, "the client did not wait for the copy: " + t.millis() + " ms");
      shadowed.add(t);
    }

    List<ShadowPair> pairs = awaitPairs("classify", 3);
    assertEquals(3, pairs.size());
    for (int i = 0; i < 3; i++) {
      ShadowPair pair = pairs.get(i);
      Timed t = shadowed.get(i);
      assertEquals(t.id(), pair.requestId());
      assertEquals("gpt-4o-mini", pair.candidateModel());
      assertTrue(pair.productionModel().startsWith("gpt-4o"), pair.productionModel());
      assertEquals(200, pair.candidateStatus(), pair.candidateError());
      assertNull(pair.candidateError());
      assertTrue(pair.candidateLatencyMillis() >= STALL.toMillis(), "the copy waited out the stall");
      assertNotNull(pair.candidateText());
      assertEquals(text(t.res().body()), pair.productionText(), "the production answer is the client's");
      assertTrue(pair.candidateCostPicoUsd() > 0 && pair.candidateCostPicoUsd() < pair.productionCostPicoUsd(),
          pair.toString());
      assertEquals(pair.candidateCostPicoUsd().longValue(), pair.spendPicoUsd(), "no judge: spend is the copy's cost");
      assertEquals(h.row(t.id()).costPicoUsd(), pair.productionCostPicoUsd());
      assertNotNull(pair.score(), "scored");
      assertNotNull(pair.scorer());
    }
    // the request log has the clients' calls only: no row for a copy, nor a model the clients never asked for
    assertEquals(rowsBefore + 3, logRows("SELECT COUNT(*) FROM requests"));
    assertEquals(0, logRows("SELECT COUNT(*) FROM requests WHERE model_requested LIKE 'gpt-4o-mini%'"
        + " OR model_used LIKE 'gpt-4o-mini%'"));
  }

  @Test
  void a_streamed_call_is_copied_with_its_reassembled_answer_as_the_reference() throws Exception {
    Timed openAi = call(h, "chat", false, openAi("Where is my order 1234?", true));
    Timed claude = call(h, "chat", true, anthropic("Can I change my address?", true));
    for (Timed t : List.of(openAi, claude)) {
      assertEquals(200, t.res().statusCode(), t.res().body());
      assertTrue(t.res().body().contains("data: "), "a stream");
      assertTrue(t.millis() < STALL.toMillis() / 2, "the client did not wait for the copy: " + t.millis() + " ms");
    }
    Timed plainOpenAi = call(plain, "chat", false, openAi("Where is my order 1234?", true));
    assertEquals(normalised(plainOpenAi.res().body()), normalised(openAi.res().body()));

    List<ShadowPair> pairs = awaitPairs("chat", 2);
    assertEquals(List.of(openAi.id(), claude.id()), pairs.stream().map(ShadowPair::requestId).toList());
    assertEquals(streamedText(openAi.res().body(), false), pairs.get(0).productionText());
    assertEquals(streamedText(claude.res().body(), true), pairs.get(1).productionText());
    assertFalse(pairs.get(0).productionText().isEmpty());
    assertTrue(pairs.stream().allMatch(p -> p.answered() && p.score() != null), pairs.toString());
  }

  @Test
  void a_small_daily_budget_stops_the_copies_once_spent() throws Exception {
    int calls = 6;
    for (int i = 0; i < calls; i++) {
      Timed t = call(h, "tight", false, openAi("Ticket number " + i + ": the invoice total looks wrong", false));
      assertEquals(200, t.res().statusCode(), t.res().body());
      awaitSettled("tight", i + 1); // one at a time, so that each copy's cost is known before the next
    }
    ShadowTap.Counts c = awaitSettled("tight", calls);
    List<ShadowPair> pairs = h.gateway.store().shadows().recent("tight", 100);
    assertTrue(pairs.size() >= 1 && pairs.size() < calls, "some copies, not all: " + pairs.size());
    assertEquals(calls - pairs.size(), c.skippedBudget(), c.toString());
    assertEquals(pairs.size(), c.copied());
    long spent = pairs.stream().mapToLong(ShadowPair::spendPicoUsd).sum();
    long cap = new java.math.BigDecimal(TIGHT_BUDGET).movePointRight(12).longValueExact();
    assertTrue(spent <= cap, spent + " spent against a cap of " + cap);
    assertTrue(pairs.stream().allMatch(p -> p.answered() && p.candidateModel().equals("claude-haiku-4-5")),
        "on another provider, with the gateway's own key for it");

    // the admin API: today's spend against the cap, and what became of the samples
    JsonNode report = admin("/tokenwise/api/shadow");
    JsonNode tight = find(report.get("shadows"), "tight", "claude-haiku-4-5");
    assertEquals(spent, tight.at("/today/spent_pico_usd").asLong());
    assertEquals(cap, tight.at("/today/cap_pico_usd").asLong());
    assertEquals(c.skippedBudget(), tight.at("/since_start/skipped_budget").asLong());
    assertEquals(pairs.size(), tight.at("/last_30_days/pairs").asLong());
  }

  @Test
  void a_client_key_is_never_sent_to_another_provider_for_a_copy() throws Exception {
    int simCalls = sim.calls().size();
    Timed t = call(h, "keyless", false, openAi("Ticket: where is my refund?", false));
    assertEquals(200, t.res().statusCode());
    ShadowTap.Counts c = awaitSettled("keyless", 1);
    assertEquals(1, c.skippedKey(), c.toString());
    assertEquals(0, c.copied());
    assertEquals(simCalls + 1, sim.calls().size(), "only the client's call went out");
    assertEquals(List.of(), h.gateway.store().shadows().recent("keyless", 10));
  }

  @Test
  void cache_hits_and_failed_calls_are_not_copied() throws Exception {
    String body = openAi("Ticket: how do I reset my password?", false);
    assertEquals("miss", call(h, "cached", false, body).res().headers().firstValue("x-tokenwise-cache").orElseThrow());
    h.awaitStored("cached", 1);
    assertEquals("hit-exact", call(h, "cached", false, body).res().headers().firstValue("x-tokenwise-cache")
        .orElseThrow());
    assertEquals(400, call(h, "cached", false, openAi("please fail now", false)).res().statusCode());
    awaitSettled("cached", 1);
    assertEquals(1, counts("cached").sampled(), "only the answered miss");
    assertEquals(1, awaitPairs("cached", 1).size());
  }

  @Test
  void a_candidate_that_gets_the_hard_calls_wrong_shows_it_in_its_running_quality() throws Exception {
    for (int i = 0; i < 10; i++) {
      String kind = i % 5 == 4 ? "HARD" : "EASY";
      assertEquals(200, call(h, "labels", false, openAi(kind + " ticket " + i, false)).res().statusCode());
    }
    List<ShadowPair> pairs = awaitPairs("labels", 10);
    assertEquals(8, pairs.stream().filter(p -> Boolean.TRUE.equals(p.passed())).count(), pairs.toString());
    for (ShadowPair p : pairs) {
      boolean hard = p.productionText() != null && !Boolean.TRUE.equals(p.passed());
      assertEquals(hard ? 0.0 : 1.0, p.score(), 1e-9, p.toString());
    }
    Instant now = Instant.now();
    AuditReport report = Audits.run(h.config, h.gateway.store(), new Period(now.minus(Duration.ofDays(1)),
        now.plusSeconds(1)), now, 5);
    ShadowSummary s = report.shadows().stream().filter(t -> t.pairs().pattern().equals("labels")).findFirst()
        .orElseThrow().pairs();
    assertEquals(10, s.scored());
    assertEquals(8, s.passes());
    assertEquals(0.8, s.meanScore(), 1e-9);
    assertTrue(s.candidatePicoUsd() < s.productionPicoUsd(), "the copy costs less: " + s);
    String md = MarkdownReport.write(report);
    assertTrue(md.contains("gpt-4.1-nano passes 80"), md);
  }

  @Test
  void the_audit_and_the_admin_api_sum_the_stored_pairs() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, call(h, "classify", false, openAi("Ticket " + i + ": wrong size delivered", false)).res()
          .statusCode());
    }
    List<ShadowPair> stored = awaitPairs("classify", 3);
    Instant now = Instant.now();
    Period period = new Period(now.minus(Duration.ofDays(1)), now.plusSeconds(1));
    AuditReport report = Audits.run(h.config, h.gateway.store(), period, now, 5);
    AuditReport.ShadowTest test = report.shadows().stream()
        .filter(s -> s.pairs().pattern().equals("classify") && s.pairs().candidateModel().equals("gpt-4o-mini"))
        .findFirst().orElseThrow();
    stored = h.gateway.store().shadows().recent("classify", 500); // every pair of the pattern, whichever test made it
    ShadowSummary s = test.pairs();
    assertEquals(stored.size(), s.pairs());
    assertEquals(stored.stream().filter(p -> p.score() != null).count(), s.scored());
    assertEquals(stored.stream().filter(p -> !p.answered()).count(), s.failed());
    assertEquals(stored.stream().filter(p -> Boolean.TRUE.equals(p.passed())).count(), s.passes());
    assertEquals(stored.stream().filter(p -> p.score() != null).mapToDouble(ShadowPair::score).sum(), s.scoreSum(),
        1e-9);
    List<ShadowPair> priced = stored.stream().filter(p -> p.answered() && p.productionCostPicoUsd() != null
        && p.candidateCostPicoUsd() != null).toList();
    assertEquals(priced.size(), s.priced());
    assertEquals(priced.stream().mapToLong(ShadowPair::productionCostPicoUsd).sum(), s.productionPicoUsd());
    assertEquals(priced.stream().mapToLong(ShadowPair::candidateCostPicoUsd).sum(), s.candidatePicoUsd());
    assertEquals(stored.stream().mapToLong(ShadowPair::spendPicoUsd).sum(), s.spendPicoUsd());
    assertEquals(10_000_000_000_000L, test.dailyCapPicoUsd());

    String md = MarkdownReport.write(report);
    assertTrue(md.contains("## Shadow tests") && md.contains("### classify"), md);
    assertTrue(md.contains("gpt-4o-mini passes "), md);
    JsonNode json = find(Json.tryParse(JsonReport.write(report).getBytes(StandardCharsets.UTF_8)).get("shadow_tests"),
        "classify", "gpt-4o-mini");
    assertEquals(s.pairs(), json.at("/pairs/count").asLong());
    assertEquals(s.spendPicoUsd(), json.at("/spend/pico_usd").asLong());
    assertEquals(s.candidatePicoUsd(), json.at("/candidate_cost/pico_usd").asLong());

    JsonNode api = admin("/tokenwise/api/shadow/classify?limit=2");
    assertEquals(2, api.get("data").size());
    assertEquals(stored.get(0).id(), api.at("/data/0/id").asText(), "newest first");
    assertEquals(stored.get(0).productionText(), api.at("/data/0/production_text").asText(), "texts, as stored");
  }

  private static JsonNode admin(String path) throws Exception {
    HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode find(JsonNode list, String pattern, String candidate) {
    for (JsonNode n : list) {
      if (n.path("pattern").asText().equals(pattern) && n.path("candidate_model").asText().equals(candidate)) {
        return n;
      }
    }
    throw new AssertionError("no " + pattern + "/" + candidate + " in " + list);
  }

  /** The text of a whole answer in either dialect. */
  private static String text(String body) {
    JsonNode a = Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
    if (a.has("choices")) {
      return a.at("/choices/0/message/content").asText();
    }
    StringBuilder sb = new StringBuilder();
    a.path("content").forEach(b -> sb.append(b.path("text").asText()));
    return sb.toString();
  }

  /** The text a client reads from a stream: every content delta, in order. */
  private static String streamedText(String events, boolean anthropicStream) {
    StringBuilder sb = new StringBuilder();
    for (String line : events.split("\n")) {
      if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
        continue;
      }
      JsonNode e = Json.tryParse(line.substring(6).getBytes(StandardCharsets.UTF_8));
      String delta = anthropicStream ? e.at("/delta/text").asText("") : e.at("/choices/0/delta/content").asText("");
      sb.append(Objects.requireNonNullElse(delta, ""));
    }
    return sb.toString();
  }
}
