package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenwise.config.Config;
import dev.tokenwise.provider.sim.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache beyond one process: answers kept in the store survive a restart, and two gateway
 * instances on one Redis serve each other's answers, exact and semantic.
 */
class SharedCacheIT {
  private static final String REDIS_ENV = "TOKENWISE_TEST_REDIS_URL";
  private static final Config.Auth AUTH = new Config.Auth("test-salt", Map.of(), false, null);
  private static final List<Map<String, Object>> POLICIES = List.of(Map.of("match", Map.of("tag", "faq"),
      "cache", Map.of("exact", true, "semantic", Map.of("threshold", 0.9), "ttl", "1h")));

  @TempDir static Path dir;
  static Simulator sim;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static String ask(String question) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private static HttpResponse<String> post(GatewayHarness h, String question) throws Exception {
    return h.post("/v1/chat/completions", ask(question), "authorization", "Bearer sk-shared", "x-tokenwise-tag", "faq");
  }

  private static String cache(HttpResponse<String> r) {
    return r.headers().firstValue("x-tokenwise-cache").orElseThrow();
  }

  private static Config withRedis(Config c, String url) {
    return new Config(c.server(), c.store(), new Config.Redis(url), c.providers(), c.models(), c.prices(), c.auth(),
        c.retry(), c.guard(), c.log(), c.cache(), c.policies());
  }

  @Test
  void answers_kept_in_the_store_survive_a_restart() throws Exception {
    Path data = Files.createDirectories(dir.resolve("restart"));
    String question = "How long is the Seine river? " + UUID.randomUUID();
    String first;
    try (GatewayHarness a = new GatewayHarness(sim, data, Map.of(), AUTH, POLICIES, c -> c)) {
      HttpResponse<String> r = post(a, question);
      assertEquals("miss", cache(r));
      first = r.body();
    }
    int calls = sim.calls().size();
    try (GatewayHarness b = new GatewayHarness(sim, data, Map.of(), AUTH, POLICIES, c -> c)) {
      HttpResponse<String> again = post(b, question);
      assertEquals("hit-exact", cache(again));
      assertEquals(first, again.body());
      // the semantic index is rebuilt from the kept answers too
      HttpResponse<String> para = post(b, question.replace("How long is the Seine river?", "how long is the river Seine"));
      assertEquals("hit-semantic", cache(para), para.headers().firstValue("x-tokenwise-trace").orElse(""));
      assertEquals(calls, sim.calls().size(), "no provider call after the restart");
      // another river is another question, however alike the two embed
      HttpResponse<String> other = post(b, question.replace("Seine", "Loire"));
      assertEquals("miss", cache(other), other.headers().firstValue("x-tokenwise-trace").orElse(""));
    }
  }

  @Test
  void without_stored_bodies_no_answer_reaches_the_database() throws Exception {
    Path data = Files.createDirectories(dir.resolve("private"));
    String question = "What is my account balance? " + UUID.randomUUID();
    try (GatewayHarness a = new GatewayHarness(sim, data, Map.of(), AUTH, POLICIES, c -> new Config(c.server(),
        c.store(), c.redis(), c.providers(), c.models(), c.prices(), c.auth(), c.retry(), c.guard(),
        new Config.Log(false, c.log().retention(), c.log().queueCapacity(), c.log().batchSize(), c.log().flushInterval()),
        c.cache(), c.policies()))) {
      long kept = a.stored("faq");
      assertEquals("miss", cache(post(a, question)));
      a.awaitStored("faq", kept + 1);
      assertEquals("hit-exact", cache(post(a, question)), "served from memory all the same");
    }
    try (var store = dev.tokenwise.store.LogStores.open("sqlite:" + data.resolve("tokenwise.db"))) {
      assertEquals(0, store.answers().count(), "nothing in the response_cache table");
    }
  }

  @Test
  void two_instances_on_one_redis_serve_each_others_answers() throws Exception {
    String url = System.getenv(REDIS_ENV);
    if (url == null || url.isBlank()) {
      fail(REDIS_ENV + " is not set, so there is no Redis to test against. Start one with\n"
          + "  eval \"$(bash .ci/services.sh redis)\"");
    }
    try (GatewayHarness a = new GatewayHarness(sim, Files.createDirectories(dir.resolve("a")), Map.of(), AUTH, POLICIES,
        c -> withRedis(c, url));
        GatewayHarness b = new GatewayHarness(sim, Files.createDirectories(dir.resolve("b")), Map.of(), AUTH, POLICIES,
            c -> withRedis(c, url))) {
      String id = UUID.randomUUID().toString();
      String exact = "What is the boiling point of water at sea level? " + id;
      long kept = a.stored("faq");
      assertEquals("miss", cache(post(a, exact)));
      a.awaitStored("faq", kept + 1);
      assertEquals("hit-exact", cache(post(b, exact)));

      String question = "Which planet is the largest in the solar system? " + id;
      assertEquals("miss", cache(post(a, question)));
      a.awaitStored("faq", kept + 2);
      // b learns of a's answers from the Redis feed, a moment later
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      for (var index = b.cacheReport().path("semantic_index"); index.path("entries").asLong() < 2;
          index = b.cacheReport().path("semantic_index")) {
        assertTrue(System.nanoTime() < deadline, "b's semantic index never got a's questions: " + index);
        Thread.sleep(20);
      }
      HttpResponse<String> para = post(b, "which planet in the solar system is the largest " + id);
      assertEquals("hit-semantic", cache(para), para.headers().firstValue("x-tokenwise-trace").orElse(""));
    }
  }
}
