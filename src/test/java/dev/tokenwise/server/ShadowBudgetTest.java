package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tokenwise.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowBudgetTest {
  private static final long CAP = 1_000;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T22:00:00Z"));
  /** What the stored pairs hold, by "pattern/candidate/day"; and every read of them. */
  private final Map<String, Long> stored = new HashMap<>();
  private final List<String> reads = new ArrayList<>();
  private final ShadowBudget budget = new ShadowBudget(clock, (p, c, day) -> {
    reads.add(p + "/" + c + "/" + day);
    return stored.getOrDefault(p + "/" + c + "/" + day, 0L);
  });

  @Test
  void an_estimate_is_held_until_the_actual_cost_replaces_it() {
    ShadowBudget.Reservation a = budget.reserve("classify", "gpt-4o-mini", 600, CAP);
    assertNotNull(a);
    assertEquals(clock.instant(), a.at());
    assertEquals(600, budget.spentToday("classify", "gpt-4o-mini"));
    assertNull(budget.reserve("classify", "gpt-4o-mini", 401, CAP), "600 held + 401 would pass 1,000");
    a.settle(250);
    assertEquals(250, budget.spentToday("classify", "gpt-4o-mini"));
    a.settle(250);
    assertEquals(250, budget.spentToday("classify", "gpt-4o-mini"), "settled once");
    ShadowBudget.Reservation b = budget.reserve("classify", "gpt-4o-mini", 750, CAP);
    assertNotNull(b, "250 + 750 is exactly the cap");
    assertNull(budget.reserve("classify", "gpt-4o-mini", 1, CAP));
  }

  @Test
  void a_copy_that_would_pass_the_cap_is_refused_and_other_shadows_keep_their_own() {
    budget.reserve("classify", "gpt-4o-mini", 990, CAP).settle(990);
    assertNull(budget.reserve("classify", "gpt-4o-mini", 11, CAP));
    assertNotNull(budget.reserve("classify", "claude-haiku-4-5", 11, CAP));
    assertNotNull(budget.reserve("summarise", "gpt-4o-mini", 11, CAP));
    assertNotNull(budget.reserve("classify", "gpt-4o-mini", 10, CAP));
  }

  @Test
  void a_restart_reads_back_what_the_day_spent_so_far() {
    stored.put("classify/gpt-4o-mini/2026-03-01", 900L);
    assertNull(budget.reserve("classify", "gpt-4o-mini", 101, CAP));
    assertNotNull(budget.reserve("classify", "gpt-4o-mini", 100, CAP));
    assertEquals(List.of("classify/gpt-4o-mini/2026-03-01"), reads, "read once for the day");
  }

  @Test
  void the_cap_runs_over_the_utc_day_of_the_gateways_clock() {
    budget.reserve("classify", "gpt-4o-mini", 1_000, CAP).settle(1_000);
    assertNull(budget.reserve("classify", "gpt-4o-mini", 1, CAP));
    clock.advance(Duration.ofHours(1).plusMinutes(59)); // 23:59
    assertNull(budget.reserve("classify", "gpt-4o-mini", 1, CAP));
    clock.advance(Duration.ofMinutes(1)); // midnight UTC
    ShadowBudget.Reservation next = budget.reserve("classify", "gpt-4o-mini", 1_000, CAP);
    assertNotNull(next);
    assertEquals(LocalDate.of(2026, 3, 2).toString(), reads.get(reads.size() - 1).split("/")[2]);
  }

  @Test
  void scoring_is_charged_to_the_day_of_its_copy() {
    ShadowBudget.Reservation a = budget.reserve("classify", "gpt-4o-mini", 100, CAP);
    a.settle(100);
    budget.charge("classify", "gpt-4o-mini", a.at(), 850);
    assertEquals(950, budget.spentToday("classify", "gpt-4o-mini"));
    assertNull(budget.reserve("classify", "gpt-4o-mini", 51, CAP));
    budget.charge("classify", "gpt-4o-mini", a.at().minus(Duration.ofDays(1)), 10_000);
    assertEquals(950, budget.spentToday("classify", "gpt-4o-mini"), "yesterday's charge is not today's");
  }
}
