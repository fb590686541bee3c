package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DollarsTest {
  @Test
  void shows_cents_with_thousands_and_four_decimals_under_a_dollar() {
    assertEquals("$1,234.57", Dollars.of(1_234_565_000_000_000L));
    assertEquals("$0.0045", Dollars.of(4_500_000_000L));
    assertEquals("$0.00", Dollars.of(0));
    assertEquals("-$2.50", Dollars.of(-2_500_000_000_000L));
    assertEquals("36.2 %", Dollars.percent(0.3616));
  }
}
