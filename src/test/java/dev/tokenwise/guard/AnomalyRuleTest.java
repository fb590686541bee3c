package dev.tokenwise.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The anomaly rule on counters moved by hand: a burst over a steady baseline trips it, and it clears. */
class AnomalyRuleTest {
  static final long CENT = LocalSpendTest.CENT;
  static final String P = "p:support-chat";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T07:00:00Z"));
  private final LocalSpend spend = new LocalSpend(24);
  private final AnomalyRule rule = new AnomalyRule(new Config.Anomaly(BigDecimal.valueOf(5), Duration.ofMinutes(5),
      Duration.ofHours(24), new BigDecimal("0.50")));

  /** {@code pico} every minute for {@code minutes} minutes, the clock moving on. */
  private void steady(long pico, int minutes) {
    for (int i = 0; i < minutes; i++) {
      spend.add(List.of(P), pico, clock.millis());
      clock.advance(Duration.ofMinutes(1));
    }
  }

  /** {@code pico} in each of {@code minutes} minutes, the clock left in the last of them. */
  private void burst(long pico, int minutes) {
    steady(pico, minutes - 1);
    spend.add(List.of(P), pico, clock.millis());
  }

  private AnomalyRule.Finding judge() {
    return rule.judge(spend.read(List.of(P), clock.millis()).getFirst());
  }

  @Test
  void a_burst_after_a_steady_baseline_trips_it() {
    steady(1 * CENT, 180);
    assertFalse(judge().tripped(), "a steady rate");

    burst(20 * CENT, 5);
    AnomalyRule.Finding f = judge();
    assertTrue(f.tripped(), f.toString());
    assertEquals(100 * CENT, f.windowPicoUsd());
    assertEquals(180 * CENT, f.baselinePicoUsd());
    assertEquals(180, f.baselineMinutes(), "from 07:00, when the pattern first spent, to the window's start");
    assertEquals(25 * CENT, f.allowedPicoUsd(), "5 × 1 cent a minute × 5 minutes");
  }

  @Test
  void it_clears_as_the_window_moves_past_the_burst() {
    steady(1 * CENT, 180);
    burst(30 * CENT, 5);
    clock.advance(Duration.ofSeconds(20));
    Spend s = spend.read(List.of(P), clock.millis()).getFirst();
    assertTrue(rule.judge(s).tripped());
    // 150 cents from 10:00 to 10:04: under 0.50 USD once only 10:04 is left in the window, at 10:08
    assertEquals(Duration.ofMinutes(3).plusSeconds(40).toSeconds(), rule.freesIn(s));

    clock.advance(Duration.ofMinutes(3).plusSeconds(39));
    assertTrue(judge().tripped(), judge().toString());
    clock.advance(Duration.ofSeconds(1));
    assertFalse(judge().tripped(), judge().toString());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, judge().windowPicoUsd());
  }

  @Test
  void a_pattern_without_an_hour_of_history_never_trips() {
    burst(100 * CENT, 5);
    assertFalse(judge().tripped(), "a new pattern's first calls are all burst and no baseline");

    clock.advance(Duration.ofMinutes(1));
    steady(1 * CENT, 50);
    burst(100 * CENT, 5);
    AnomalyRule.Finding f = judge();
    assertFalse(f.tripped(), "55 minutes before the window are not an hour: " + f);
    assertEquals(0, f.baselineMinutes());
  }

  @Test
  void a_burst_below_min_usd_never_trips() {
    steady(1 * CENT, 120);
    burst(9 * CENT, 5);
    AnomalyRule.Finding f = judge();
    assertEquals(45 * CENT, f.windowPicoUsd());
    assertTrue(f.windowPicoUsd() > f.allowedPicoUsd(), "nine times the rate");
    assertFalse(f.tripped(), "but under 0.50 USD");
  }

  @Test
  void spend_within_the_factor_does_not_trip() {
    steady(10 * CENT, 120);
    burst(45 * CENT, 5);
    AnomalyRule.Finding f = judge();
    assertEquals(250 * CENT, f.allowedPicoUsd());
    assertFalse(f.tripped(), "4.5 times the usual rate is under the factor of 5: " + f);
  }

  @Test
  void a_pattern_idle_for_the_whole_baseline_has_none() {
    steady(1 * CENT, 120);
    clock.advance(Duration.ofHours(24));
    burst(100 * CENT, 5);
    assertFalse(judge().tripped(), "what it spent a day ago is out of the baseline");
  }
}
