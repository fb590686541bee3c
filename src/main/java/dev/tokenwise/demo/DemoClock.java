package dev.tokenwise.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated time of the demo, shared by the simulator, the gateway and the traffic driver, so that
 * log rows, prompt-cache lifetimes and the gateway's windows all live in the replayed month. Only the
 * driver moves it, and only forward: many threads read it while one moves it, and no reader ever sees
 * time go back.
 */
public final class DemoClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock standing at {@code start}, in UTC. */
  public DemoClock(Instant start) {
    this(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  private DemoClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Moves the clock to {@code time}, or leaves it where it is when it already reads later; returns
   * the time it reads afterwards.
   */
  public Instant advanceTo(Instant time) {
    return now.accumulateAndGet(time, (current, next) -> next.isAfter(current) ? next : current);
  }

  /** Moves the clock forward by {@code d} (not negative); returns the time it reads afterwards. */
  public Instant advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the demo clock only moves forward, not by " + d);
    }
    return now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time seen in another zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new DemoClock(now, zone);
  }
}
