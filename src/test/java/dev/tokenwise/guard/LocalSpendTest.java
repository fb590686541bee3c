package dev.tokenwise.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The windows of the in-process counters, moved by hand on a clock. */
class LocalSpendTest {
  static final long CENT = 10_000_000_000L;
  static final long USD = 100 * CENT;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final LocalSpend spend = new LocalSpend(24);

  private void add(String scope, long pico) {
    spend.add(List.of(scope), pico, clock.millis());
  }

  private Spend read(String scope) {
    return spend.read(List.of(scope), clock.millis()).getFirst();
  }

  @Test
  void the_last_hour_slides_by_whole_minutes() {
    add("t:a", 1 * USD);
    clock.advance(Duration.ofMinutes(30));
    add("t:a", 2 * USD);
    assertEquals(3 * USD, read("t:a").lastHour());

    clock.advance(Duration.ofMinutes(29).plusSeconds(59));
    assertEquals(3 * USD, read("t:a").lastHour(), "10:00 is still the oldest minute of the hour at 10:59:59");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(2 * USD, read("t:a").lastHour(), "at 11:00 the spend of 10:00 has left");
    clock.advance(Duration.ofMinutes(30));
    assertEquals(0, read("t:a").lastHour());
    assertEquals(3 * USD, read("t:a").lastDay());
  }

  @Test
  void the_last_day_is_the_current_hour_and_the_23_before() {
    add("p:x", 4 * USD);
    clock.advance(Duration.ofHours(23).plusMinutes(59));
    add("p:x", 1 * USD);
    assertEquals(5 * USD, read("p:x").lastDay());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(1 * USD, read("p:x").lastDay(), "the hour of 10:00 left at 10:00 the next day");
    clock.advance(Duration.ofDays(1));
    assertEquals(0, read("p:x").lastDay(), "slots of a day ago are not read as today's");
  }

  @Test
  void scopes_are_counted_apart_and_an_unknown_one_is_empty() {
    spend.add(List.of("t:a", "p:x"), 3 * CENT, clock.millis());
    add("t:b", 5 * CENT);

    assertEquals(3 * CENT, read("t:a").lastHour());
    assertEquals(3 * CENT, read("p:x").lastHour());
    assertEquals(5 * CENT, read("t:b").lastHour());
    assertEquals(0, read("t:nobody").lastDay());
  }

  @Test
  void a_capped_hour_frees_when_enough_of_its_oldest_minutes_have_left() {
    add("t:a", 1 * USD);
    clock.advance(Duration.ofMinutes(10));
    add("t:a", 2 * USD);
    clock.advance(Duration.ofMinutes(10).plusSeconds(30));
    Spend s = read("t:a");

    // cap 2.5: once the 1 USD of 10:00 leaves (at 11:00) 2 are left
    assertEquals(Duration.ofMinutes(39).plusSeconds(30).toSeconds(), s.hourFreesIn(250 * CENT));
    // cap 2: the 2 USD of 10:10 must leave too (at 11:10)
    assertEquals(Duration.ofMinutes(49).plusSeconds(30).toSeconds(), s.hourFreesIn(2 * USD));
  }

  @Test
  void a_capped_day_frees_when_its_oldest_hours_leave() {
    add("t:a", 6 * USD);
    clock.advance(Duration.ofHours(5).plusMinutes(15));
    add("t:a", 1 * USD);
    Spend s = read("t:a");

    assertEquals(Duration.ofHours(18).plusMinutes(45).toSeconds(), s.dayFreesIn(5 * USD), "when 10:00 leaves");
  }

  @Test
  void a_clear_forgives_what_was_spent_up_to_the_end_of_its_minute() {
    add("t:a", 5 * USD);
    clock.advance(Duration.ofMinutes(20));
    add("t:a", 1 * USD);
    spend.clear("t:a", clock.millis());
    add("t:a", 1 * USD);
    assertEquals(0, read("t:a").lastHour(), "the rest of the clear's minute is forgiven too");

    clock.advance(Duration.ofMinutes(1));
    add("t:a", 2 * USD);
    assertEquals(2 * USD, read("t:a").lastHour());
    assertEquals(2 * USD, read("t:a").lastDay(), "the day counts the minutes of the clear's hour after it");
    clock.advance(Duration.ofHours(2));
    add("t:a", 3 * USD);
    Spend s = read("t:a");
    assertEquals(3 * USD, s.lastDay(), "over an hour old, the minutes of the clear's hour are forgiven whole");
    assertEquals(9 * USD, s.hour(s.nowHour() - 2), "the raw hours keep everything, for the anomaly baseline");
  }

  @Test
  void idle_scopes_are_forgotten_after_the_longest_window() {
    add("t:a", 1 * CENT);
    clock.advance(Duration.ofHours(24));
    add("t:b", 1 * CENT);
    spend.forgetIdle(clock.millis());
    assertEquals(2, spend.size());

    clock.advance(Duration.ofHours(1).plusMinutes(1));
    spend.forgetIdle(clock.millis());
    assertEquals(1, spend.size(), "t:a spent nothing for over 25 hours");
  }
}
