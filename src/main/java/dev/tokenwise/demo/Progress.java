package dev.tokenwise.demo;

import dev.tokenwise.analytics.Cost;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress bar of one month's replay: calls done of the total, the simulated date and the spend so
 * far (from each answer's cost header; the bill itself comes from the log). On a console it is one line
 * redrawn in place at most five times a second; elsewhere (a file, a pipe, a test) a line at every tenth.
 */
final class Progress {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean live;
  private final String label;
  private final int total;
  private final Clock clock;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong picoUsd = new AtomicLong();
  private long lastDraw;
  private int lastTenth;

  Progress(PrintStream out, boolean live, String label, int total, Clock clock) {
    this.out = out;
    this.live = live;
    this.label = label;
    this.total = total;
    this.clock = clock;
  }

  /** Counts one finished call and what it cost (0 when it failed or its cost is unknown). */
  void step(long costPicoUsd) {
    picoUsd.addAndGet(costPicoUsd);
    long n = done.incrementAndGet();
    synchronized (this) {
      if (live) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || n == total) {
          lastDraw = now;
          out.print("\r" + line(n));
          out.flush();
        }
      } else {
        int tenth = total == 0 ? 10 : (int) (n * 10 / total);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          out.println(line(n));
        }
      }
    }
  }

  /** Ends the bar: on a console, the last drawing stays and the cursor goes to the next line. */
  synchronized void finish() {
    if (live) {
      out.print("\r" + line(done.get()) + "\n");
    } else if (lastTenth < 10) {
      out.println(line(done.get()));
    }
    out.flush();
  }

  long spentPicoUsd() {
    return picoUsd.get();
  }

  String line(long n) {
    int filled = total == 0 ? WIDTH : (int) (n * WIDTH / total);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String usd = Cost.toUsd(picoUsd.get()).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    return String.format(Locale.ROOT, "%s [%s] %,7d/%,d calls  %s  $%s spent", label, bar, n, total,
        clock.instant().atZone(ZoneOffset.UTC).toLocalDate(), usd);
  }
}
