package dev.tokenwise.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
  private final Breakers breakers = new Breakers(new Config.Retry.Breaker(3, 0.5, 20, Duration.ofSeconds(30)), clock);
  private final Route route = new Route(new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, "http://127.0.0.1:1",
      null, Duration.ofSeconds(5), Map.of(), List.of()), "gpt-4o");

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      breakers.failure(route, breakers.acquire(route));
    }
  }

  private void succeed(int times) {
    for (int i = 0; i < times; i++) {
      breakers.success(route, breakers.acquire(route));
    }
  }

  private CircuitBreaker.Snapshot state() {
    return breakers.snapshot().get("openai/gpt-4o");
  }

  @Test
  void the_default_breaker_leaves_a_flaky_model_to_the_retries_and_stops_a_dead_one() {
    Breakers defaults = new Breakers(Config.Retry.Breaker.DEFAULT, clock);
    java.util.Random rnd = new java.util.Random(42);
    for (int i = 0; i < 200_000; i++) {
      CircuitBreaker.Permit p = defaults.acquire(route);
      assertTrue(p.allowed(), "a model failing 30 % of its calls at random opened its circuit at call " + i);
      if (rnd.nextDouble() < 0.3) {
        defaults.failure(route, p);
      } else {
        defaults.success(route, p);
      }
    }
    for (int i = 0; i < Config.Retry.Breaker.DEFAULT.failures(); i++) {
      defaults.failure(route, defaults.acquire(route));
    }
    assertFalse(defaults.acquire(route).allowed(), "a dead model is skipped after its consecutive failures");
  }

  @Test
  void a_model_that_never_failed_has_no_breaker_and_goes_through() {
    assertTrue(breakers.acquire(route).allowed());
    succeed(5);
    assertEquals(Map.of(), breakers.snapshot());
  }

  @Test
  void opens_after_consecutive_failures_and_skips_until_the_cooldown_ends() {
    fail(2);
    assertEquals(CircuitBreaker.State.CLOSED, state().state());
    fail(1);
    assertEquals(CircuitBreaker.State.OPEN, state().state());

    clock.advance(Duration.ofSeconds(12));
    CircuitBreaker.Permit refused = breakers.acquire(route);
    assertFalse(refused.allowed());
    assertEquals(Duration.ofSeconds(18), refused.retryIn());
    assertEquals(Duration.ofSeconds(18), state().openFor());
  }

  @Test
  void a_success_in_between_resets_the_consecutive_count() {
    fail(2);
    succeed(1);
    fail(2);
    assertEquals(CircuitBreaker.State.CLOSED, state().state());
    assertEquals(2, state().consecutiveFailures());
  }

  @Test
  void opens_when_half_the_recent_calls_failed() {
    for (int i = 0; i < 4; i++) {
      fail(1);
      succeed(1);
    }
    assertEquals(CircuitBreaker.State.CLOSED, state().state(), "8 calls, 4 failed, but fewer than half a window");
    succeed(1);
    fail(1); // 10 calls, half a window, 5 failed
    assertEquals(CircuitBreaker.State.OPEN, state().state());
  }

  @Test
  void the_failure_rate_is_taken_over_the_window_only() {
    fail(2);
    succeed(20); // the two failures slide out of the window of 20
    fail(2);
    assertEquals(CircuitBreaker.State.CLOSED, state().state());
    assertEquals(2, state().recentFailures(), "2 failures among the last 20");
    assertEquals(20, state().recentCalls());
  }

  @Test
  void half_open_lets_exactly_one_probe_through_and_its_success_closes() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    CircuitBreaker.Permit probe = breakers.acquire(route);
    assertTrue(probe.allowed() && probe.probe());
    assertEquals(CircuitBreaker.State.HALF_OPEN, state().state());
    CircuitBreaker.Permit other = breakers.acquire(route);
    assertFalse(other.allowed(), "a second caller waits for the probe's outcome");

    breakers.success(route, probe);
    assertEquals(CircuitBreaker.State.CLOSED, state().state());
    assertTrue(breakers.acquire(route).allowed());
    assertEquals(0, state().recentCalls(), "closing starts a fresh window");
  }

  @Test
  void a_failed_probe_opens_it_for_another_cooldown() {
    fail(3);
    clock.advance(Duration.ofSeconds(31));
    CircuitBreaker.Permit probe = breakers.acquire(route);
    breakers.failure(route, probe);
    assertEquals(CircuitBreaker.State.OPEN, state().state());
    assertEquals(Duration.ofSeconds(30), state().openFor());
    assertEquals(2, state().opened());
  }

  @Test
  void a_probe_that_tells_nothing_frees_the_slot_for_the_next_caller() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    CircuitBreaker.Permit probe = breakers.acquire(route);
    breakers.release(route, probe);
    CircuitBreaker.Permit next = breakers.acquire(route);
    assertTrue(next.allowed() && next.probe());
  }

  @Test
  void outcomes_of_calls_begun_before_it_opened_change_nothing() {
    CircuitBreaker.Permit early = breakers.acquire(route);
    fail(3);
    breakers.success(route, early);
    assertEquals(CircuitBreaker.State.OPEN, state().state());
  }

  @Test
  void the_registry_drops_breakers_with_nothing_to_remember_when_full() {
    Breakers many = new Breakers(Config.Retry.Breaker.DEFAULT, clock);
    Route failing = new Route(route.provider(), "failing");
    many.failure(failing, many.acquire(failing));
    for (int i = 1; i < Breakers.MAX_BREAKERS; i++) {
      Route r = new Route(route.provider(), "m" + i);
      many.failure(r, many.acquire(r));
      for (int s = 0; s < Config.Retry.Breaker.DEFAULT.window(); s++) {
        many.success(r, many.acquire(r)); // the failure slides out of the window
      }
    }
    assertEquals(Breakers.MAX_BREAKERS, many.snapshot().size());
    Route fresh = new Route(route.provider(), "fresh");
    many.failure(fresh, many.acquire(fresh));
    assertEquals(java.util.Set.of("openai/failing", "openai/fresh"), many.snapshot().keySet());
  }
}
