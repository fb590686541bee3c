package dev.tokenwise.guard;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guard as the request path sees it: checks before the call, spend after it, alerts once per trip. */
class SpendGuardTest {
  static final long CENT = LocalSpendTest.CENT;
  static final long USD = LocalSpendTest.USD;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final List<String> events = new ArrayList<>();
  private final AlertSink sink = new AlertSink() {
    @Override
    public void tripped(Alert a) {
      events.add("tripped " + a.kind() + " " + a.period() + " " + a.scope() + " " + a.figurePicoUsd() + "/"
          + a.limitPicoUsd() + " " + a.id());
    }

    @Override
    public void cleared(String id, Instant at, String by) {
      events.add("cleared " + id + " by " + by + " at " + at);
    }
  };

  private SpendGuard guard(Config.Guard config) {
    return new SpendGuard(config, new LocalSpend(new Judge(config).hoursKept()), sink, clock, false);
  }

  private static Config.Guard caps(Config.Caps tenant, Config.Caps pattern, Map<String, Config.Caps> patterns) {
    return new Config.Guard(tenant, pattern, Map.of(), patterns, null);
  }

  private static Config.Caps hourly(String usd) {
    return new Config.Caps(new BigDecimal(usd), null);
  }

  private static GatewayException refused(SpendGuard g, String tenant, String pattern) {
    GatewayException e = assertThrows(GatewayException.class, () -> g.check(tenant, pattern));
    assertEquals(ErrorKind.SPEND_GUARD, e.kind());
    assertEquals(429, e.status());
    return e;
  }

  @Test
  void a_tenant_at_its_hourly_cap_is_refused_until_the_hour_moves_on() {
    SpendGuard g = guard(caps(hourly("5"), Config.Caps.NONE, Map.of()));
    g.check("t-3f2a", "fp-1");
    g.record("t-3f2a", "fp-1", 3 * USD);
    clock.advance(Duration.ofMinutes(20));
    g.record("t-3f2a", "fp-1", 2 * USD + 2_130_000_000L);
    clock.advance(Duration.ofMinutes(5));

    GatewayException e = refused(g, "t-3f2a", "fp-1");
    assertEquals("tenant t-3f2a spent 5.0021 USD in the last hour; guard.tenant.usd_per_hour is 5, so its calls are"
        + " refused for about 35 minutes", e.getMessage());
    assertEquals(Long.toString(Duration.ofMinutes(35).toSeconds()), e.retryAfter(), "until 11:00, when 10:00 leaves");
    refused(g, "t-3f2a", "fp-2");
    assertDoesNotThrow(() -> g.check("t-other", "fp-1"), "another tenant keeps working");
    assertEquals(1, events.size(), "one alert however many refusals: " + events);
    assertTrue(events.get(0).startsWith("tripped tenant_cap 1h t-3f2a 5002130000000/5000000000000 al-"), events::toString);
    assertEquals(2L, g.refused().get("tenant_cap"));
    assertEquals(1L, g.trips().get("tenant_cap"));

    clock.advance(Duration.ofMinutes(34).plusSeconds(59));
    refused(g, "t-3f2a", "fp-1");
    clock.advance(Duration.ofSeconds(1));
    assertDoesNotThrow(() -> g.check("t-3f2a", "fp-1"));
    String id = events.get(0).substring(events.get(0).lastIndexOf(' ') + 1);
    assertEquals(List.of("cleared " + id + " by window at 2026-03-02T11:00:00Z"), events.subList(1, events.size()));
  }

  @Test
  void a_named_pattern_has_its_own_cap_and_the_message_names_its_key() {
    SpendGuard g = guard(caps(Config.Caps.NONE, new Config.Caps(new BigDecimal("2"), new BigDecimal("12")),
        Map.of("support-chat", hourly("10"))));
    g.record("t-a", "support-chat", 9 * USD);
    g.record("t-a", "fp-9", 2 * USD);
    assertDoesNotThrow(() -> g.check("t-a", "support-chat"));
    assertEquals("pattern fp-9 spent 2 USD in the last hour; guard.pattern.usd_per_hour is 2, so its calls are"
        + " refused for about 60 minutes", refused(g, "t-b", "fp-9").getMessage(), "every tenant's calls of it");

    g.record("t-a", "support-chat", 1 * USD);
    GatewayException e = refused(g, "t-a", "support-chat");
    assertTrue(e.getMessage().startsWith("pattern support-chat spent 10 USD in the last hour;"
        + " guard.patterns.support-chat.usd_per_hour is 10"), e.getMessage());

    clock.advance(Duration.ofHours(1));
    assertDoesNotThrow(() -> g.check("t-a", "support-chat"));
    g.record("t-a", "support-chat", 2 * USD);
    assertEquals("pattern support-chat spent 12 USD in the last 24 hours; guard.pattern.usd_per_day is 12, so its"
        + " calls are refused for about 23 hours", refused(g, "t-a", "support-chat").getMessage(),
        "the day cap it does not name is every pattern's");
  }

  @Test
  void a_call_is_refused_while_any_guard_holds_and_told_to_wait_for_the_last() {
    SpendGuard g = guard(caps(new Config.Caps(new BigDecimal("1"), new BigDecimal("1.5")), Config.Caps.NONE, Map.of()));
    g.record("t-a", null, 1 * USD);
    clock.advance(Duration.ofMinutes(30));
    g.record("t-a", null, 1 * USD);

    GatewayException e = refused(g, "t-a", null);
    assertTrue(e.getMessage().contains("in the last hour"), "the first guard found speaks: " + e.getMessage());
    assertEquals(Long.toString(Duration.ofHours(23).plusMinutes(30).toSeconds()), e.retryAfter(),
        "but the day cap holds longest");
    assertEquals(2, events.size(), "both trips are alerted: " + events);
  }

  @Test
  void an_administrator_clears_a_trip_early_and_later_spend_counts_again() {
    SpendGuard g = guard(caps(hourly("5"), Config.Caps.NONE, Map.of()));
    g.record("t-a", "fp-1", 6 * USD);
    refused(g, "t-a", "fp-1");

    List<SpendGuard.Cleared> cleared = g.clearTenant("t-a");
    assertEquals(1, cleared.size());
    assertEquals("tenant_cap", cleared.get(0).kind());
    assertEquals("1h", cleared.get(0).period());
    assertEquals("cleared " + cleared.get(0).alertId() + " by admin at 2026-03-02T10:00:00Z", events.get(1));
    assertDoesNotThrow(() -> g.check("t-a", "fp-1"));
    assertEquals(List.of(), g.clearTenant("t-a"), "nothing left to clear");

    clock.advance(Duration.ofMinutes(1));
    g.record("t-a", "fp-1", 5 * USD);
    refused(g, "t-a", "fp-1");
    assertEquals(3, events.size(), "a new trip, a new alert: " + events);
  }

  @Test
  void the_anomaly_guard_trips_on_a_burst_and_clears_when_the_window_moves_on() {
    Config.Guard config = new Config.Guard(Config.Caps.NONE, Config.Caps.NONE, Map.of(), Map.of(),
        new Config.Anomaly(BigDecimal.valueOf(5), Duration.ofMinutes(5), Duration.ofHours(24), new BigDecimal("0.50")));
    SpendGuard g = guard(config);
    for (int i = 0; i < 120; i++) {
      g.check("t-a", "support-chat");
      g.record("t-a", "support-chat", 1 * CENT);
      clock.advance(Duration.ofMinutes(1));
    }
    g.record("t-a", "support-chat", 60 * CENT);
    clock.advance(Duration.ofSeconds(30));

    GatewayException e = refused(g, "t-b", "support-chat");
    assertEquals("pattern support-chat spent 0.64 USD in the last 5 minutes (7.68 USD an hour), more than 5 times its"
        + " rate over the 1 h 56 min before (0.6 USD an hour); guard.anomaly.factor is 5, so its calls are refused for"
        + " about 5 minutes", e.getMessage());
    assertEquals("270", e.retryAfter());
    assertDoesNotThrow(() -> g.check("t-a", "fp-other"), "another pattern keeps working");
    assertEquals(1L, g.trips().get("anomaly"));
    assertEquals(1, g.tripped().size());

    clock.advance(Duration.ofSeconds(270));
    g.sweep();
    assertEquals(2, events.size(), "cleared by the sweep, with no call: " + events);
    assertTrue(events.get(1).endsWith("by window at 2026-03-02T12:05:00Z"), events::toString);
    assertDoesNotThrow(() -> g.check("t-b", "support-chat"));
    assertEquals(List.of(), g.tripped());
  }

  @Test
  void an_unknown_price_counts_nothing() {
    SpendGuard g = guard(caps(hourly("0.01"), Config.Caps.NONE, Map.of()));
    g.record("t-a", "fp-1", null);
    g.record("t-a", "fp-1", 0L);

    assertDoesNotThrow(() -> g.check("t-a", "fp-1"));
    assertEquals(1, g.unpriced());
  }

  @Test
  void an_off_guard_counts_nothing_and_never_refuses() {
    SpendGuard g = SpendGuard.off();
    g.record("t-a", "fp-1", 1_000 * USD);
    assertDoesNotThrow(() -> g.check("t-a", "fp-1"));
    assertEquals(0, g.unpriced());
    assertEquals(Map.of("tenant_cap", 0L, "pattern_cap", 0L, "anomaly", 0L), g.refused());
  }

  @Test
  void a_failing_counter_lets_calls_through() {
    Config.Guard config = caps(hourly("1"), Config.Caps.NONE, Map.of());
    LocalSpend counts = new LocalSpend(24);
    SpendGuard g = new SpendGuard(config, new SpendCounter() {
      @Override
      public void add(List<String> scopes, long picoUsd, long nowMillis) {
        counts.add(scopes, picoUsd, nowMillis);
      }

      @Override
      public List<Spend> read(List<String> scopes, long nowMillis) {
        throw new IllegalStateException("broken");
      }

      @Override
      public void clear(String scope, long nowMillis) {}

      @Override
      public boolean claim(String trip, String alertId, Duration ttl) {
        return true;
      }

      @Override
      public String release(String trip) {
        return null;
      }

      @Override
      public long failures() {
        return 0;
      }

      @Override
      public void close() {}
    }, sink, clock, false);
    g.record("t-a", "fp-1", 5 * USD);
    assertDoesNotThrow(() -> g.check("t-a", "fp-1"));
  }
}
