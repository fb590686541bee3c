package dev.tokenwise.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tokenwise.cache.RedisUrl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/** The shared counters on a real Redis ({@code TOKENWISE_TEST_REDIS_URL}), a namespace per test. */
class RedisSpendIT {
  private static final String ENV = "TOKENWISE_TEST_REDIS_URL";
  private static final long CENT = LocalSpendTest.CENT;
  private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

  private RedisSpend a;
  private RedisSpend b;

  private static RedisSpend open(String url, String ns) {
    RedisUrl u = RedisUrl.parse(url);
    return RedisSpend.open(new HostAndPort(u.host(), u.port()),
        u.clientConfig(RedisSpend.CONNECT_TIMEOUT_MS, RedisSpend.SOCKET_TIMEOUT_MS), u.redacted(), 24, ns);
  }

  @BeforeEach
  void open_two_instances() {
    String url = System.getenv(ENV);
    if (url == null || url.isBlank()) {
      fail(ENV + " is not set, so there is no Redis to test against. Start one with\n"
          + "  eval \"$(bash .ci/services.sh redis)\"");
    }
    String ns = "tokenwise:test:guard:" + UUID.randomUUID() + ":";
    a = open(url, ns);
    b = open(url, ns);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void what_one_instance_spends_the_other_reads() {
    a.add(List.of("t:x", "p:y"), 3 * CENT, T0);
    b.add(List.of("t:x"), 2 * CENT, T0 + 30 * 60_000L);

    List<Spend> read = b.read(List.of("t:x", "p:y", "t:none"), T0 + 45 * 60_000L);
    assertEquals(5 * CENT, read.get(0).lastHour());
    assertEquals(3 * CENT, read.get(1).lastHour());
    assertEquals(0, read.get(2).lastDay());
    assertEquals(2 * CENT, a.read(List.of("t:x"), T0 + 60 * 60_000L).getFirst().lastHour(), "10:00 has left");
    assertEquals(5 * CENT, a.read(List.of("t:x"), T0 + 60 * 60_000L).getFirst().lastDay());
    assertEquals(0, a.failures() + b.failures());
  }

  @Test
  void a_clear_on_one_instance_holds_on_the_other() {
    a.add(List.of("t:x"), 9 * CENT, T0);
    b.clear("t:x", T0 + 60_000L);
    a.add(List.of("t:x"), 1 * CENT, T0 + 120_000L);

    Spend s = a.read(List.of("t:x"), T0 + 180_000L).getFirst();
    assertEquals(1 * CENT, s.lastHour());
    assertEquals(10 * CENT, s.hour(s.nowHour()), "the baseline keeps it");
  }

  @Test
  void a_trip_is_claimed_by_one_instance_and_released_once() {
    assertTrue(a.claim("tenant_cap|1h|x", "al-1", Duration.ofHours(2)));
    assertFalse(b.claim("tenant_cap|1h|x", "al-2", Duration.ofHours(2)));

    assertEquals("al-1", b.release("tenant_cap|1h|x"));
    assertNull(a.release("tenant_cap|1h|x"));
  }

  @Test
  void keys_expire_once_no_window_reads_them() {
    long now = System.currentTimeMillis();
    a.add(List.of("p:y"), 1, now);
    try (var jedis = new redis.clients.jedis.Jedis(HostAndPort.from(
        RedisUrl.parse(System.getenv(ENV)).host() + ":" + RedisUrl.parse(System.getenv(ENV)).port()))) {
      long minute = Math.floorDiv(now, 60_000L);
      long ttl = jedis.pttl(a.minuteKey("p:y", minute));
      assertTrue(ttl > 60 * 60_000L && ttl <= 61 * 60_000L, "a minute lives an hour and a minute at most: " + ttl);
      long hourTtl = jedis.pttl(a.hourKey("p:y", Math.floorDiv(minute, 60)));
      assertTrue(hourTtl > 24 * 3_600_000L && hourTtl <= 25 * 3_600_000L, "an hour lives a day and an hour: " + hourTtl);
    }
  }

  @Test
  void a_server_that_does_not_answer_leaves_each_instance_its_own_counts() {
    RedisSpend dead = RedisSpend.open(new HostAndPort("127.0.0.1", 9),
        RedisUrl.parse("redis://127.0.0.1:9").clientConfig(200, 200), "redis://127.0.0.1:9", 24, "x:");
    try {
      dead.add(List.of("t:x"), 4 * CENT, T0);
      assertEquals(4 * CENT, dead.read(List.of("t:x"), T0).getFirst().lastHour());
      assertTrue(dead.claim("tenant_cap|1h|x", "al-1", Duration.ofHours(2)), "claimed here");
      assertEquals("al-1", dead.release("tenant_cap|1h|x"));
      assertTrue(dead.failures() >= 1);
    } finally {
      dead.close();
    }
  }
}
