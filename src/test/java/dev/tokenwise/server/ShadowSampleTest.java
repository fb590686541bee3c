package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShadowSampleTest {
  private static final BigDecimal FIVE = new BigDecimal("0.05");

  @Test
  void the_share_holds_over_many_request_ids() {
    RequestIds ids = new RequestIds(Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
    int n = 200_000;
    int taken = 0;
    for (int i = 0; i < n; i++) {
      taken += ShadowSample.takes(ids.next(), FIVE) ? 1 : 0;
    }
    // 5 % of 200,000 is 10,000; the standard deviation is about 97
    assertTrue(Math.abs(taken - 10_000) < 500, "taken " + taken);
  }

  @Test
  void ids_that_differ_in_one_character_are_spread_apart() {
    int taken = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      taken += ShadowSample.takes("req_0000000000000000000" + String.format("%05d", i), new BigDecimal("0.2")) ? 1 : 0;
    }
    assertTrue(Math.abs(taken - 20_000) < 600, "taken " + taken);
  }

  @Test
  void all_calls_are_taken_at_100_percent_and_none_below_any_share() {
    RequestIds ids = new RequestIds(Clock.systemUTC());
    for (int i = 0; i < 10_000; i++) {
      String id = ids.next();
      assertTrue(ShadowSample.takes(id, BigDecimal.ONE), id);
      assertFalse(ShadowSample.takes(id, BigDecimal.ZERO), id);
    }
  }

  @Test
  void the_same_id_always_gets_the_same_answer_and_a_larger_sample_keeps_the_smaller_ones_calls() {
    RequestIds ids = new RequestIds(Clock.systemUTC());
    for (int i = 0; i < 20_000; i++) {
      String id = ids.next();
      boolean five = ShadowSample.takes(id, FIVE);
      assertEquals(five, ShadowSample.takes(new String(id.toCharArray()), FIVE), id);
      if (five) {
        assertTrue(ShadowSample.takes(id, new BigDecimal("0.1")), id);
      }
    }
  }
}
