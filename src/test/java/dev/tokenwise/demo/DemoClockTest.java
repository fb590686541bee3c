package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoClockTest {
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

  @Test
  void it_reads_the_time_it_was_moved_to_and_never_goes_back() {
    DemoClock clock = new DemoClock(T0);
    assertEquals(T0, clock.instant());
    assertEquals(T0.plusSeconds(90), clock.advanceTo(T0.plusSeconds(90)));
    assertEquals(T0.plusSeconds(90), clock.advanceTo(T0.plusSeconds(30)), "an earlier time leaves it where it is");
    assertEquals(T0.plusSeconds(150), clock.advance(Duration.ofMinutes(1)));
    assertEquals(T0.plusSeconds(150).toEpochMilli(), clock.millis());
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
  }

  @Test
  void it_is_utc_and_another_zone_sees_the_same_moving_time() {
    DemoClock clock = new DemoClock(T0);
    assertEquals(ZoneOffset.UTC, clock.getZone());
    var paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(3));
    assertEquals(T0.plus(Duration.ofHours(3)), paris.instant());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
    assertEquals(clock, clock.withZone(ZoneOffset.UTC));
  }

  @Test
  void threads_moving_it_at_once_leave_it_at_the_latest_time_and_readers_never_see_it_go_back()
      throws InterruptedException {
    DemoClock clock = new DemoClock(T0);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> wentBack = new AtomicReference<>();
    Thread reader = Thread.ofPlatform().start(() -> {
      Instant last = clock.instant();
      while (!stop.get()) {
        Instant now = clock.instant();
        if (now.isBefore(last)) {
          wentBack.set(last + " then " + now);
        }
        last = now;
      }
    });
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int offset = w;
      writers.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 20_000; i++) {
          // each writer moves it to times that go up and down, as calls finishing out of order would
          clock.advanceTo(T0.plusMillis((i * 7919L + offset * 104_729L) % 1_000_000));
        }
      }));
    }
    for (Thread t : writers) {
      t.join();
    }
    stop.set(true);
    reader.join();
    assertEquals(null, wentBack.get());
    long max = 0;
    for (int w = 0; w < 4; w++) {
      for (int i = 0; i < 20_000; i++) {
        max = Math.max(max, (i * 7919L + w * 104_729L) % 1_000_000);
      }
    }
    assertEquals(T0.plusMillis(max), clock.instant());
    assertTrue(clock.instant().isAfter(T0));
  }
}
