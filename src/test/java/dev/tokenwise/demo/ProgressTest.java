package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final DemoClock clock = new DemoClock(Instant.parse("2026-10-14T09:30:00Z"));

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void off_a_console_it_prints_a_line_at_every_tenth() {
    Progress p = new Progress(out, false, "month 1", 200, clock);
    for (int i = 0; i < 200; i++) {
      p.step(5_000_000_000L); // half a cent each
    }
    p.finish();
    List<String> lines = printed().lines().toList();
    assertEquals(10, lines.size(), printed());
    assertEquals("month 1 [##......................]      20/200 calls  2026-10-14  $0.10 spent", lines.get(0));
    assertEquals("month 1 [########################]     200/200 calls  2026-10-14  $1.00 spent", lines.get(9));
    assertEquals(1_000_000_000_000L, p.spentPicoUsd());
  }

  @Test
  void on_a_console_it_redraws_one_line_and_ends_it() {
    Progress p = new Progress(out, true, "month 2", 3, clock);
    p.step(0);
    p.step(0);
    p.step(0);
    p.finish();
    String s = printed();
    assertTrue(s.startsWith("\rmonth 2 ["), s);
    assertTrue(s.endsWith("3/3 calls  2026-10-14  $0.00 spent\n"), s);
    assertEquals(s.length() - 1, s.indexOf('\n'), "no line feed before the end");
  }

  @Test
  void a_month_with_no_calls_still_ends_its_bar() {
    Progress p = new Progress(out, false, "month 1", 0, clock);
    p.finish();
    assertEquals("month 1 [########################]       0/0 calls  2026-10-14  $0.00 spent\n", printed());
  }
}
