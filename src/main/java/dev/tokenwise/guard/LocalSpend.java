package dev.tokenwise.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spend counted in this process: per scope a ring of 60 minute sums and one of {@code hours} hour sums,
 * each slot tagged with the minute or hour it holds so that a stale slot reads as empty. About 1.4 KB
 * per scope for a day; scopes idle for longer than the hour ring are dropped by {@link #forgetIdle}.
 */
final class LocalSpend implements SpendCounter {
  private final int hours;
  private final ConcurrentHashMap<String, Buckets> scopes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> claims = new ConcurrentHashMap<>();

  /** Counters keeping {@code hours} hour sums (at least 24, for the day cap). */
  LocalSpend(int hours) {
    this.hours = hours;
  }

  @Override
  public void add(List<String> names, long picoUsd, long nowMillis) {
    long minute = Math.floorDiv(nowMillis, 60_000L);
    for (String name : names) {
      scopes.computeIfAbsent(name, k -> new Buckets(hours)).add(minute, picoUsd);
    }
  }

  @Override
  public List<Spend> read(List<String> names, long nowMillis) {
    List<Spend> out = new ArrayList<>(names.size());
    for (String name : names) {
      Buckets b = scopes.get(name);
      out.add(b == null ? Spend.empty(nowMillis, hours) : b.read(nowMillis));
    }
    return out;
  }

  @Override
  public void clear(String scope, long nowMillis) {
    scopes.computeIfAbsent(scope, k -> new Buckets(hours)).clear(Math.floorDiv(nowMillis, 60_000L));
  }

  @Override
  public boolean claim(String trip, String alertId, Duration ttl) {
    return claims.putIfAbsent(trip, alertId) == null;
  }

  @Override
  public String release(String trip) {
    return claims.remove(trip);
  }

  @Override
  public long failures() {
    return 0;
  }

  @Override
  public void forgetIdle(long nowMillis) {
    long minute = Math.floorDiv(nowMillis, 60_000L);
    scopes.values().removeIf(b -> b.idleSince(minute - (hours + 1) * 60L));
  }

  /** Scopes held (for tests). */
  int size() {
    return scopes.size();
  }

  @Override
  public void close() {
    scopes.clear();
  }

  /** One scope's rings. The lock is held for a few array reads and writes, never around I/O. */
  private static final class Buckets {
    private final long[] minuteOf = new long[Spend.MINUTES];
    private final long[] minuteSum = new long[Spend.MINUTES];
    private final long[] hourOf;
    private final long[] hourSum;
    private long cleared = Spend.NONE_CLEARED;
    private long last = Long.MIN_VALUE;

    Buckets(int hours) {
      hourOf = new long[hours];
      hourSum = new long[hours];
      Arrays.fill(minuteOf, Long.MIN_VALUE);
      Arrays.fill(hourOf, Long.MIN_VALUE);
    }

    synchronized void add(long minute, long pico) {
      int m = Math.floorMod(minute, Spend.MINUTES);
      if (minuteOf[m] != minute) {
        minuteOf[m] = minute;
        minuteSum[m] = 0;
      }
      minuteSum[m] = Math.addExact(minuteSum[m], pico);
      long hour = Math.floorDiv(minute, 60);
      int h = (int) Math.floorMod(hour, hourOf.length);
      if (hourOf[h] != hour) {
        hourOf[h] = hour;
        hourSum[h] = 0;
      }
      hourSum[h] = Math.addExact(hourSum[h], pico);
      last = Math.max(last, minute);
    }

    synchronized void clear(long minute) {
      cleared = Math.max(cleared, minute);
      last = Math.max(last, minute);
    }

    synchronized Spend read(long nowMillis) {
      long now = Math.floorDiv(nowMillis, 60_000L);
      long[] minutes = new long[Spend.MINUTES];
      for (int i = 0; i < Spend.MINUTES; i++) {
        long minute = now - Spend.MINUTES + 1 + i;
        int slot = Math.floorMod(minute, Spend.MINUTES);
        minutes[i] = minuteOf[slot] == minute ? minuteSum[slot] : 0;
      }
      long nowHour = Math.floorDiv(now, 60);
      long[] hours = new long[hourOf.length];
      for (int i = 0; i < hours.length; i++) {
        long hour = nowHour - hours.length + 1 + i;
        int slot = (int) Math.floorMod(hour, hourOf.length);
        hours[i] = hourOf[slot] == hour ? hourSum[slot] : 0;
      }
      return new Spend(nowMillis, minutes, hours, cleared);
    }

    synchronized boolean idleSince(long minute) {
      return last < minute;
    }
  }
}
