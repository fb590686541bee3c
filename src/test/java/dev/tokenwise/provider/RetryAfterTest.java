package dev.tokenwise.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

  @Test
  void delta_seconds_whole_or_fractional() {
    assertEquals(Duration.ofSeconds(2), RetryAfter.parse(null, "2", NOW));
    assertEquals(Duration.ofMillis(1500), RetryAfter.parse(null, " 1.5 ", NOW));
    assertEquals(Duration.ZERO, RetryAfter.parse(null, "0", NOW));
  }

  @Test
  void milliseconds_come_first() {
    assertEquals(Duration.ofMillis(120), RetryAfter.parse("120", "5", NOW));
    assertEquals(Duration.ofSeconds(5), RetryAfter.parse("soon", "5", NOW), "unreadable ms fall back to seconds");
  }

  @Test
  void an_http_date_is_a_wait_until_then() {
    assertEquals(Duration.ofSeconds(90), RetryAfter.parse(null, "Wed, 21 Oct 2026 07:29:30 GMT", NOW));
    assertEquals(Duration.ZERO, RetryAfter.parse(null, "Wed, 21 Oct 2026 07:00:00 GMT", NOW), "a past date: go now");
  }

  @Test
  void junk_is_no_advice() {
    for (String junk : new String[] {"", "  ", "-1", "1e3", "soon", "2 seconds", "0x10", "Wednesday 07:29",
        "Thu, 99 Oct 2026 07:29:30 GMT"}) {
      assertNull(RetryAfter.parse(null, junk, NOW), junk);
    }
    assertNull(RetryAfter.parse(null, null, NOW));
  }

  @Test
  void no_advice_is_followed_beyond_a_day() {
    assertEquals(RetryAfter.MAX, RetryAfter.parse(null, "999999999999999", NOW));
    assertEquals(RetryAfter.MAX, RetryAfter.parse(null, "Fri, 21 Oct 2050 07:29:30 GMT", NOW));
  }
}
