package dev.tokenwise.provider;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the timeouts of one upstream attempt. While the caller waits for the headers, the deadline
 * is the first byte's (or the attempt's); when it passes, the caller is interrupted, and its blocked
 * socket read gives up at once (the gateway's requests run on virtual threads, whose socket reads an
 * interrupt ends; elsewhere the socket's own read timeout is the backstop). While the body is read, the
 * deadline is the last read plus the idle timeout (or the attempt's end); when it passes, the answer is
 * closed, which ends the read that waits. The shared {@link Watchdogs} timer calls {@link #due} when the
 * registered deadline comes.
 *
 * <p>Design note: the socket's own read timeout cannot do this. Helidon's client sets one timeout per
 * request for every read, headers and body alike, so it cannot tell a slow first byte from a pause
 * between events. The caller's interrupt is sent and cleared under one lock with the phase change, so it
 * never outlives the wait for headers.
 */
final class Watchdog {
  private enum Phase {
    HEADERS,
    BODY,
    DONE
  }

  /** Which limit ran out. */
  private enum Limit {
    FIRST_BYTE,
    IDLE,
    TOTAL
  }

  private final Watchdogs timer;
  private final Thread caller;
  private final long startNanos;
  private final UpstreamRequest.Timeouts limits;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Phase phase = Phase.HEADERS;
  private volatile long lastReadNanos;
  private volatile Runnable cancel;
  private volatile String reason;
  private volatile Watchdogs.Entry entry;
  private boolean interrupted;

  private Watchdog(Watchdogs timer, UpstreamRequest.Timeouts limits) {
    this.timer = timer;
    this.caller = Thread.currentThread();
    this.startNanos = System.nanoTime();
    this.limits = limits;
  }

  /** Starts watching an attempt that the calling thread is about to send. */
  static Watchdog start(Watchdogs timer, UpstreamRequest.Timeouts limits) {
    Watchdog w = new Watchdog(timer, limits);
    w.entry = timer.add(w, w.deadline(Phase.HEADERS));
    return w;
  }

  /**
   * The headers arrived: from now on a timeout closes the answer instead of interrupting the caller. An
   * interrupt sent in the instant before, which the caller did not consume, is cleared and forgotten.
   */
  void headersArrived(Runnable cancelAnswer) {
    lock.lock();
    try {
      this.cancel = cancelAnswer;
      this.lastReadNanos = System.nanoTime();
      this.phase = Phase.BODY;
      if (interrupted) {
        Thread.interrupted();
        interrupted = false;
        reason = null;
      }
    } finally {
      lock.unlock();
    }
    Watchdogs.Entry registered = entry;
    long body = deadline(Phase.BODY);
    if (registered != null && body - registered.due() < 0) {
      // an idle timeout shorter than the wait for headers: the timer must look sooner than it was asked to
      timer.remove(registered);
      entry = timer.add(this, body);
    }
  }

  /** The send failed before any headers: the watch ends, and an interrupt it sent is cleared. */
  void sendFailed() {
    lock.lock();
    try {
      this.phase = Phase.DONE;
      if (interrupted) {
        Thread.interrupted();
      }
    } finally {
      lock.unlock();
    }
    timer.remove(entry);
  }

  /** A read of the body returned: the idle timeout starts again. */
  void read() {
    lastReadNanos = System.nanoTime();
  }

  /** The attempt is over; the watch ends. */
  void done() {
    phase = Phase.DONE;
    timer.remove(entry);
  }

  /** Why the watchdog cut the attempt (a sentence naming the limit and its key), or null when it did not. */
  String reason() {
    return reason;
  }

  /** The registered deadline came: cuts the attempt when a limit ran out, else registers the next deadline. */
  void due(long now) {
    while (true) {
      Phase p = phase;
      if (p == Phase.DONE) {
        return;
      }
      long deadline = deadline(p);
      if (deadline - now > 0) {
        entry = timer.add(this, deadline); // a read pushed the idle limit on, or the headers came
        return;
      }
      long total = startNanos + limits.total().toNanos();
      if (fire(p, deadline == total ? Limit.TOTAL : p == Phase.HEADERS ? Limit.FIRST_BYTE : Limit.IDLE)) {
        return;
      }
      // the phase moved on, or a read came, as the deadline was reached: look again
    }
  }

  private long deadline(Phase p) {
    long total = startNanos + limits.total().toNanos();
    long limit = p == Phase.HEADERS ? startNanos + limits.firstByte().toNanos()
        : lastReadNanos + limits.idle().toNanos();
    return Math.min(limit, total);
  }

  /** Cuts the attempt, unless its phase changed since {@code seen} or a read just came; returns whether it did. */
  private boolean fire(Phase seen, Limit limit) {
    lock.lock();
    try {
      if (phase != seen || limit == Limit.IDLE && System.nanoTime() - lastReadNanos < limits.idle().toNanos()) {
        return false;
      }
      reason = describe(limit);
      if (seen == Phase.HEADERS) {
        interrupted = true;
        caller.interrupt();
      } else {
        phase = Phase.DONE;
        // closing a connection is quick, but the timer serves every attempt: it never waits on one
        Thread.ofVirtual().name("tokenwise-upstream-cut").start(cancel);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private String describe(Limit limit) {
    return switch (limit) {
      case FIRST_BYTE -> "no response headers within " + limits.firstByte().toMillis() + " ms (first_byte_timeout)";
      case IDLE -> "nothing received for " + limits.idle().toMillis() + " ms (idle_timeout)";
      case TOTAL -> limits.deadlineBound()
          ? "the call's deadline (retry.deadline) ran out after " + limits.total().toMillis() + " ms of this attempt"
          : "not done within " + limits.total().toMillis() + " ms (timeout)";
    };
  }
}
