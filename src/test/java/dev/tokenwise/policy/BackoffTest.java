package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8), new SplittableRandom(7));

  @Test
  void the_ceiling_doubles_from_the_base_up_to_the_cap() {
    assertEquals(Duration.ofMillis(250), backoff.ceiling(1));
    assertEquals(Duration.ofMillis(500), backoff.ceiling(2));
    assertEquals(Duration.ofSeconds(4), backoff.ceiling(5));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(6));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(7));
    assertEquals(Duration.ofSeconds(8), backoff.ceiling(1000), "no overflow however many returns");
  }

  @Test
  void every_wait_lies_between_zero_and_the_ceiling_and_uses_the_whole_range() {
    for (int n = 1; n <= 8; n++) {
      long ceiling = backoff.ceiling(n).toNanos();
      long least = Long.MAX_VALUE;
      long most = 0;
      for (int i = 0; i < 2000; i++) {
        long w = backoff.before(n).toNanos();
        assertTrue(w >= 0 && w <= ceiling, "wait " + w + " outside [0, " + ceiling + "]");
        least = Math.min(least, w);
        most = Math.max(most, w);
      }
      assertTrue(least < ceiling / 10 && most > ceiling * 9 / 10, "full jitter spans the interval: " + least + ".." + most);
    }
  }

  @Test
  void a_zero_base_means_no_wait() {
    Backoff none = new Backoff(Duration.ZERO, Duration.ofSeconds(8), new SplittableRandom(1));
    assertEquals(Duration.ZERO, none.before(3));
  }

  @Test
  void the_cap_bounds_a_base_larger_than_it() {
    Backoff capped = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(8), new SplittableRandom(1));
    assertEquals(Duration.ofSeconds(8), capped.ceiling(1));
  }
}
