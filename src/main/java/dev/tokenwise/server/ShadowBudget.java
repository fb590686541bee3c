package dev.tokenwise.server;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daily caps of the shadow tests: what each shadow (a pattern's calls copied to one candidate model)
 * has spent on the current UTC day of the gateway's clock. A copy reserves its estimate before it is
 * made and is refused when the estimate would pass the cap; once made, its actual cost replaces the
 * estimate. Scoring that costs money (a judge model) is charged after the fact.
 *
 * <p>Design note: the first time a shadow is seen on a day, what it spent that day so far is read back
 * from the stored pairs, so a restart does not reset the cap. The read is made outside any lock; two
 * threads that race on it read the same figure and the first one's wins. Several gateway instances each
 * keep their own count from that figure, so together they may spend up to the cap each.
 */
public final class ShadowBudget {
  /** What the stored pairs of one shadow counted against its cap on a day. */
  @FunctionalInterface
  public interface SpentSoFar {
    long spent(String pattern, String candidateModel, LocalDate day);
  }

  private final Clock clock;
  private final SpentSoFar stored;
  private final Map<Key, Day> days = new ConcurrentHashMap<>();

  private record Key(String pattern, String candidate) {}

  /** One shadow's figures for one day. Guarded by itself; no I/O is done while it is held. */
  private static final class Day {
    final LocalDate date;
    long spent;
    long reserved;

    Day(LocalDate date, long spent) {
      this.date = date;
      this.spent = spent;
    }
  }

  /**
   * @param clock the gateway's clock, whose UTC day the caps run over
   * @param stored reads back what a shadow's stored pairs spent on a day
   */
  public ShadowBudget(Clock clock, SpentSoFar stored) {
    this.clock = clock;
    this.stored = stored;
  }

  /** An estimate held against a day's cap until the copy's cost is known. */
  public final class Reservation {
    private final Day day;
    private final Instant at;
    private long held;
    private boolean settled;

    private Reservation(Day day, Instant at, long held) {
      this.day = day;
      this.at = at;
      this.held = held;
    }

    /** When it was made: the copy's time, whose UTC day its spend counts against. */
    public Instant at() {
      return at;
    }

    /** Puts the actual cost in place of the estimate; a second call changes nothing. */
    public void settle(long actualPicoUsd) {
      synchronized (day) {
        if (settled) {
          return;
        }
        settled = true;
        day.reserved -= held;
        day.spent += actualPicoUsd;
        held = 0;
      }
    }
  }

  /**
   * Holds {@code estimatePicoUsd} against the shadow's cap for today, or returns null when spent and held
   * with it would pass {@code capPicoUsd}.
   */
  public Reservation reserve(String pattern, String candidate, long estimatePicoUsd, long capPicoUsd) {
    Instant now = clock.instant();
    Day day = today(new Key(pattern, candidate), now);
    synchronized (day) {
      if (day.spent + day.reserved + estimatePicoUsd > capPicoUsd) {
        return null;
      }
      day.reserved += estimatePicoUsd;
    }
    return new Reservation(day, now, estimatePicoUsd);
  }

  /** Adds a cost that came after the copy (a judge's scoring) to the day the copy counted against. */
  public void charge(String pattern, String candidate, Instant copyTime, long picoUsd) {
    if (picoUsd == 0) {
      return;
    }
    Day day = days.get(new Key(pattern, candidate));
    if (day == null || !day.date.equals(date(copyTime))) {
      return; // a day no longer counted here: the stored pairs carry it
    }
    synchronized (day) {
      day.spent += picoUsd;
    }
  }

  /** What the shadow spent and holds today, as this instance counts it. */
  public long spentToday(String pattern, String candidate) {
    Day day = today(new Key(pattern, candidate), clock.instant());
    synchronized (day) {
      return day.spent + day.reserved;
    }
  }

  private Day today(Key key, Instant now) {
    LocalDate date = date(now);
    Day day = days.get(key);
    if (day != null && day.date.equals(date)) {
      return day;
    }
    long soFar = stored.spent(key.pattern(), key.candidate(), date);
    Day fresh = new Day(date, soFar);
    return days.compute(key, (k, old) -> old != null && old.date.equals(date) ? old : fresh);
  }

  private static LocalDate date(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
