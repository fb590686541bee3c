package dev.tokenwise.cache;

import static dev.tokenwise.testing.Answers.assertSameAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.testing.Answers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The Redis store against a real server, named by {@code TOKENWISE_TEST_REDIS_URL}. Each test works
 * under a namespace of its own, so runs never see each other's keys, and drops it at the end.
 */
class RedisAnswersIT {
  private static final String ENV = "TOKENWISE_TEST_REDIS_URL";
  private static final long HOUR = 3_600_000;
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private static String url;
  private final Clock clock = Clock.systemUTC();
  private final List<RedisAnswers> opened = new ArrayList<>();
  private String namespace;
  private RedisClient raw;

  @BeforeAll
  static void require_redis() {
    url = System.getenv(ENV);
    if (url == null || url.isBlank()) {
      fail(ENV + " is not set, so there is no Redis to test against. Start one with\n"
          + "  eval \"$(bash .ci/services.sh redis)\"\n"
          + "(it installs redis-server when missing and prints the variable), or point " + ENV
          + " at yours, e.g. redis://127.0.0.1:6379");
    }
  }

  @BeforeEach
  void namespace() {
    namespace = "tokenwise-it-" + UUID.randomUUID() + ":cache:";
    raw = RedisClient.create(URI.create(url));
  }

  @AfterEach
  void drop_namespace() {
    opened.forEach(RedisAnswers::close);
    try (RedisAnswers cleaner = RedisAnswers.open(url, clock, namespace)) {
      cleaner.removeAll();
    }
    raw.close();
  }

  private RedisAnswers open() {
    RedisAnswers r = RedisAnswers.open(url, clock, namespace);
    opened.add(r);
    return r;
  }

  private long now() {
    return clock.millis();
  }

  @Test
  void round_trips_every_field_and_the_nulls() {
    RedisAnswers r = open();
    CachedAnswer semantic = Answers.semantic("k-sem", "faq", now(), now() + HOUR);
    CachedAnswer plain = Answers.plain("k-plain", "faq", now(), now() + HOUR);
    r.put(semantic);
    r.put(plain);

    assertSameAnswer(semantic, r.get("k-sem", now()).orElseThrow());
    assertSameAnswer(plain, r.get("k-plain", now()).orElseThrow());
    assertEquals(Optional.empty(), r.get("nope", now()));
    assertEquals(2, r.size());
    assertEquals(0, r.failures());
  }

  @Test
  void redis_drops_an_answer_at_its_own_expiry() {
    RedisAnswers r = open();
    long start = now();
    r.put(Answers.plain("short", "p", start, start + 300));
    r.put(Answers.plain("long", "p", start, start + HOUR));

    assertTrue(r.get("short", start).isPresent());
    // Asked as of the start, so only Redis's own expiry can make it go.
    waitFor(() -> r.get("short", start).isEmpty(), "the short-lived answer to expire in Redis");
    assertTrue(r.get("long", start).isPresent());
    assertTrue(raw.pttl(namespace + "a:long") > HOUR - 60_000);
    assertEquals(1, r.size());
  }

  @Test
  void keeps_answers_apart_by_key_whatever_their_tenant() {
    RedisAnswers r = open();
    CachedAnswer a = Answers.plain("key-of-tenant-a", "p", now(), now() + HOUR);
    CachedAnswer b = Answers.semantic("key-of-tenant-b", "p", now(), now() + HOUR);
    r.put(a);
    r.put(b);

    assertEquals("tenant-a", r.get("key-of-tenant-a", now()).orElseThrow().tenant());
    assertEquals("tenant-b", r.get("key-of-tenant-b", now()).orElseThrow().tenant());
    assertNotNull(raw.get((namespace + "a:key-of-tenant-a").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void remove_pattern_drops_that_pattern_and_nothing_else() {
    RedisAnswers r = open();
    r.put(Answers.plain("a1", "a", now(), now() + HOUR));
    r.put(Answers.semantic("a2", "a", now(), now() + HOUR));
    r.put(Answers.plain("b1", "b", now(), now() + HOUR));

    assertEquals(2, r.removePattern("a"));

    assertEquals(Optional.empty(), r.get("a1", now()));
    assertEquals(Optional.empty(), r.get("a2", now()));
    assertTrue(r.get("b1", now()).isPresent());
    assertEquals(1, r.size());
    assertEquals(0, raw.zcard(namespace + "semantic"), "the dropped semantic answer left the start-up index");
    assertEquals(0, r.removePattern("a"));
    assertEquals(0, r.removePattern("never-seen"));

    r.put(Answers.plain("a3", "a", now(), now() + HOUR));
    assertTrue(r.get("a3", now()).isPresent(), "a pattern takes new answers after its removal");
    assertEquals(2, r.size());
  }

  @Test
  void remove_all_drops_the_namespace_and_leaves_other_keys_alone() {
    RedisAnswers r = open();
    String outsider = "tokenwise-it-outsider-" + UUID.randomUUID();
    raw.set(outsider, "keep me");
    try {
      for (int i = 0; i < 250; i++) {
        r.put(Answers.semantic("k" + i, "p" + (i % 7), now(), now() + HOUR));
      }

      assertEquals(250, r.removeAll());

      assertEquals(0, r.size());
      assertEquals(Optional.empty(), r.get("k0", now()));
      assertTrue(raw.keys(namespace + "*").isEmpty(), "nothing of the namespace is left (KEYS only in a test)");
      assertEquals("keep me", raw.get(outsider));
    } finally {
      raw.del(outsider);
    }
  }

  @Test
  void follow_semantic_replays_what_is_stored_then_sees_what_another_instance_stores() throws Exception {
    RedisAnswers a = open();
    RedisAnswers b = open();
    a.put(Answers.semantic("before", "p", now(), now() + HOUR));
    a.put(Answers.plain("plain-before", "p", now(), now() + HOUR));

    BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
    b.followSemantic(x -> seenByB.add(x.key()));
    assertEquals("before", seenByB.poll(), "replayed before followSemantic returned");

    a.put(Answers.plain("plain-after", "p", now(), now() + HOUR));
    CachedAnswer after = Answers.semantic("after", "p", now(), now() + HOUR);
    a.put(after);

    assertEquals("after", seenByB.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertNull(seenByB.poll(), "plain answers are not fed");
  }

  @Test
  void an_instance_sees_its_own_semantic_answers_once() throws Exception {
    RedisAnswers a = open();
    RedisAnswers b = open();
    BlockingQueue<String> seenByA = new LinkedBlockingQueue<>();
    BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
    a.followSemantic(x -> seenByA.add(x.key()));
    b.followSemantic(x -> seenByB.add(x.key()));

    a.put(Answers.semantic("mine", "p", now(), now() + HOUR));

    assertEquals("mine", seenByA.poll(), "delivered on the putting thread");
    assertEquals("mine", seenByB.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    // B has had the message, so A's copy of it has arrived too and must have been skipped.
    assertEquals(List.of(), new ArrayList<>(seenByA));
  }

  @Test
  void a_subscription_cut_by_the_server_comes_back_and_catches_up() throws Exception {
    RedisAnswers a = open();
    RedisAnswers b = open();
    BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
    b.followSemantic(x -> seenByB.add(x.key()));

    try (Jedis admin = new Jedis(URI.create(url))) {
      assertTrue(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)) >= 1);
    }
    a.put(Answers.semantic("while-away", "p", now(), now() + HOUR));

    // Seen through the feed if B was back in time, else through the catch-up read.
    String key = seenByB.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertEquals("while-away", key);
    a.put(Answers.semantic("after-return", "p", now(), now() + HOUR));
    waitFor(() -> seenByB.contains("after-return"), "the answer stored after the feed came back");
  }

  @Test
  void a_redis_that_is_down_gives_quick_misses_and_never_throws_on_the_request_path() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    long start = System.nanoTime();
    try (RedisAnswers down = RedisAnswers.open("redis://127.0.0.1:" + closedPort, clock, namespace)) {
      for (int i = 0; i < 20; i++) {
        assertEquals(Optional.empty(), down.get("k" + i, now()));
        down.put(Answers.semantic("k" + i, "p", now(), now() + HOUR));
      }
      assertEquals(0, down.size());
      assertTrue(down.failures() >= 40, "failures counted: " + down.failures());
      assertThrows(GatewayException.class, down::removeAll);
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMs < 3_000, "took " + tookMs + " ms");
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + PATIENCE.toSeconds() + " s for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }
}
