package dev.tokenwise.guard;

/**
 * What one scope (a tenant or a pattern) spent lately, as read at one moment: a picodollar sum per clock
 * minute for the last 60 minutes and per clock hour for the last {@code hours.length} hours, the current
 * minute and hour included, and the minute of the last administrator's clear.
 *
 * <p>Windows slide by whole minutes ("the last hour" is the current minute and the 59 before) or, for the
 * day, by whole hours (the current hour and the 23 before). A clear forgives what was spent up to the end
 * of its minute: the caps and the anomaly window count only later minutes (and for the day, the hours
 * after the clear's hour plus the minutes of that hour after it, while they are still in the minute
 * counts). The anomaly baseline ignores clears: it is history, not a charge.
 */
final class Spend {
  static final int MINUTES = 60;
  static final long NONE_CLEARED = Long.MIN_VALUE;

  private final long nowMillis;
  private final long nowMinute;
  private final long[] minutes;
  private final long[] hours;
  private final long clearedMinute;

  /**
   * @param nowMillis the moment of the reading
   * @param minutes 60 sums, index 59 the current minute
   * @param hours one sum per hour, the last index the current hour
   * @param clearedMinute the epoch minute of the last clear, or {@link #NONE_CLEARED}
   */
  Spend(long nowMillis, long[] minutes, long[] hours, long clearedMinute) {
    if (minutes.length != MINUTES) {
      throw new IllegalArgumentException("a reading holds 60 minutes, not " + minutes.length);
    }
    this.nowMillis = nowMillis;
    this.nowMinute = Math.floorDiv(nowMillis, 60_000L);
    this.minutes = minutes;
    this.hours = hours;
    this.clearedMinute = clearedMinute;
  }

  /** Nothing spent. */
  static Spend empty(long nowMillis, int hours) {
    return new Spend(nowMillis, new long[MINUTES], new long[hours], NONE_CLEARED);
  }

  long nowMinute() {
    return nowMinute;
  }

  /** The raw sum of an epoch minute within the last 60, 0 outside them. */
  long minute(long epochMinute) {
    long i = epochMinute - (nowMinute - MINUTES + 1);
    return i < 0 || i >= MINUTES ? 0 : minutes[(int) i];
  }

  /** The raw sum of an epoch hour within the kept ones, 0 outside them. */
  long hour(long epochHour) {
    long i = epochHour - (nowHour() - hours.length + 1);
    return i < 0 || i >= hours.length ? 0 : hours[(int) i];
  }

  long nowHour() {
    return Math.floorDiv(nowMinute, 60);
  }

  /** What counts against the caps of an epoch minute: nothing at or before the clear. */
  long chargedMinute(long epochMinute) {
    return epochMinute <= clearedMinute ? 0 : minute(epochMinute);
  }

  /** What counts against the day cap of an epoch hour: after a clear only the minutes that followed it. */
  long chargedHour(long epochHour) {
    long clearedHour = clearedMinute == NONE_CLEARED ? Long.MIN_VALUE : Math.floorDiv(clearedMinute, 60);
    if (epochHour > clearedHour) {
      return hour(epochHour);
    }
    if (epochHour < clearedHour) {
      return 0;
    }
    long sum = 0;
    for (long m = clearedMinute + 1; m < (epochHour + 1) * 60; m++) {
      sum += minute(m);
    }
    return sum;
  }

  /** Charged in the last hour. */
  long lastHour() {
    long sum = 0;
    for (long m = nowMinute - MINUTES + 1; m <= nowMinute; m++) {
      sum += chargedMinute(m);
    }
    return sum;
  }

  /** Charged in the last 24 hours. */
  long lastDay() {
    long sum = 0;
    for (long h = nowHour() - 23; h <= nowHour(); h++) {
      sum += chargedHour(h);
    }
    return sum;
  }

  /**
   * Seconds until the last hour's charge falls below {@code cap}, if nothing more is spent: the oldest
   * minutes leave the window one by one.
   */
  long hourFreesIn(long cap) {
    long left = lastHour();
    for (long m = nowMinute - MINUTES + 1; m <= nowMinute; m++) {
      left -= chargedMinute(m);
      if (left < cap) {
        return secondsUntil((m + MINUTES) * 60_000L);
      }
    }
    return secondsUntil((nowMinute + MINUTES) * 60_000L);
  }

  /** Seconds until the last 24 hours' charge falls below {@code cap}, if nothing more is spent. */
  long dayFreesIn(long cap) {
    long left = lastDay();
    for (long h = nowHour() - 23; h <= nowHour(); h++) {
      left -= chargedHour(h);
      if (left < cap) {
        return secondsUntil((h + 24) * 3_600_000L);
      }
    }
    return secondsUntil((nowHour() + 24) * 3_600_000L);
  }

  /** Whole seconds from now until {@code millis}, at least 1. */
  long secondsUntil(long millis) {
    return Math.max(1, Math.ceilDiv(millis - nowMillis, 1000L));
  }
}
