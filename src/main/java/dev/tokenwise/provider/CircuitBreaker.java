package dev.tokenwise.provider;

import dev.tokenwise.config.Config;
import java.time.Duration;
import java.time.Instant;

/**
 * The health of one provider's model as this gateway instance has seen it. Closed, calls go through; it
 * opens after {@code failures} consecutive transient failures, or when the share of failures among the
 * last {@code window} calls (at least half a window of them) reaches {@code failure_rate}. Open, calls
 * skip the model without an attempt for {@code cooldown}; then it is half-open and lets exactly one probe
 * through: the probe's success closes it, its failure opens it for another cool-down.
 *
 * <p>Design note: the state is a few fields behind one monitor; every method is a handful of comparisons,
 * never I/O, so the lock is held for nanoseconds. Outcomes that arrive while it is open (calls that began
 * before it opened) change nothing: the cool-down and the probe decide.
 */
public final class CircuitBreaker {
  /** Where the breaker stands. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /**
   * What a caller may do.
   *
   * @param allowed whether the call may go to the model
   * @param probe whether it is the half-open breaker's one probe (its outcome decides the state)
   * @param retryIn while open, how long until a probe may go; zero otherwise
   */
  public record Permit(boolean allowed, boolean probe, Duration retryIn) {
    static final Permit GO = new Permit(true, false, Duration.ZERO);
    static final Permit PROBE = new Permit(true, true, Duration.ZERO);
  }

  /**
   * The breaker as the admin API and the metrics show it.
   *
   * @param state where it stands now
   * @param consecutiveFailures transient failures since the last success
   * @param recentCalls calls in the window
   * @param recentFailures failures among them
   * @param openFor while open, the time left before a probe may go; zero otherwise
   * @param opened how often it opened since start
   */
  public record Snapshot(State state, int consecutiveFailures, int recentCalls, int recentFailures,
      Duration openFor, long opened) {}

  private final Config.Retry.Breaker settings;
  private final boolean[] window;
  private int next;
  private int size;
  private int failuresInWindow;
  private int consecutive;
  private State state = State.CLOSED;
  private Instant openedAt;
  private boolean probeInFlight;
  private long opened;

  CircuitBreaker(Config.Retry.Breaker settings) {
    this.settings = settings;
    this.window = new boolean[settings.window()];
  }

  /** Asks to call the model now. */
  public synchronized Permit acquire(Instant now) {
    switch (state) {
      case CLOSED:
        return Permit.GO;
      case OPEN:
        Duration left = Duration.between(now, openedAt.plus(settings.cooldown()));
        if (left.isPositive()) {
          return new Permit(false, false, left);
        }
        state = State.HALF_OPEN;
        probeInFlight = true;
        return Permit.PROBE;
      default:
        if (probeInFlight) {
          return new Permit(false, false, Duration.ZERO);
        }
        probeInFlight = true;
        return Permit.PROBE;
    }
  }

  /**
   * While it is open, how long until a probe may go; null when a call may go now (or be the probe). Changes
   * nothing: a caller about to wait before asking the model looks first.
   */
  public synchronized Duration refusesFor(Instant now) {
    if (state == State.OPEN) {
      Duration left = Duration.between(now, openedAt.plus(settings.cooldown()));
      return left.isPositive() ? left : null;
    }
    return state == State.HALF_OPEN && probeInFlight ? Duration.ZERO : null;
  }

  /** The model answered (an answer, or an error that is the request's, not the provider's). */
  public synchronized void success(Permit permit) {
    if (permit.probe() && state == State.HALF_OPEN) {
      close();
      return;
    }
    if (state == State.CLOSED) {
      consecutive = 0;
      record(false);
    }
  }

  /** The model failed transiently (an error the fallback chain retries). */
  public synchronized void failure(Permit permit, Instant now) {
    if (permit.probe() && state == State.HALF_OPEN) {
      open(now);
      return;
    }
    if (state != State.CLOSED) {
      return;
    }
    consecutive++;
    record(true);
    if (consecutive >= settings.failures()
        || size >= minCalls() && failuresInWindow >= settings.failureRate() * size) {
      open(now);
    }
  }

  /** The call ended without telling anything of the model (the client left): a probe's slot is free again. */
  public synchronized void release(Permit permit) {
    if (permit.probe() && state == State.HALF_OPEN) {
      probeInFlight = false;
    }
  }

  /** The breaker now, for reports. */
  public synchronized Snapshot snapshot(Instant now) {
    Duration left = state == State.OPEN ? Duration.between(now, openedAt.plus(settings.cooldown())) : Duration.ZERO;
    return new Snapshot(state, consecutive, size, failuresInWindow, left.isNegative() ? Duration.ZERO : left, opened);
  }

  /** Whether it has nothing to remember: closed, with no failure in its window. */
  synchronized boolean idle() {
    return state == State.CLOSED && failuresInWindow == 0 && consecutive == 0;
  }

  private int minCalls() {
    return Math.max(1, settings.window() / 2);
  }

  private void record(boolean failed) {
    if (size == window.length) {
      if (window[next]) {
        failuresInWindow--;
      }
    } else {
      size++;
    }
    window[next] = failed;
    if (failed) {
      failuresInWindow++;
    }
    next = (next + 1) % window.length;
  }

  private void open(Instant now) {
    state = State.OPEN;
    openedAt = now;
    probeInFlight = false;
    opened++;
  }

  private void close() {
    state = State.CLOSED;
    probeInFlight = false;
    consecutive = 0;
    size = 0;
    next = 0;
    failuresInWindow = 0;
  }
}
