package dev.tokenwise.provider;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the timeouts of one upstream attempt from a virtual thread of its own, which sleeps until the
 * nearest deadline. While the caller waits for the headers, the deadline is the first byte's (or the
 * attempt's); the watchdog then interrupts the caller, whose blocked socket read a virtual thread gives
 * up at once. While the body is read, it is the last read plus the idle timeout (or the attempt's end);
 * the watchdog then closes the answer, which ends the read that waits.
 *
 * <p>Design note: the socket's own read timeout cannot do this. Helidon's client sets one timeout per
 * request for every read, headers and body alike, so it cannot tell a slow first byte from a pause
 * between events. The caller's interrupt is sent and cleared under one lock with the phase change, so it
 * never outlives the wait for headers.
 */
final class Watchdog implements Runnable {
  private enum Phase {
    HEADERS,
    BODY,
    DONE
  }

  private final Thread caller;
  private final long startNanos;
  private final UpstreamRequest.Timeouts limits;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Phase phase = Phase.HEADERS;
  private volatile long lastReadNanos;
  private volatile Runnable cancel;
  private volatile String reason;
  private volatile boolean interrupted;
  private final Thread thread;

  private Watchdog(UpstreamRequest.Timeouts limits) {
    this.caller = Thread.currentThread();
    this.startNanos = System.nanoTime();
    this.limits = limits;
    this.thread = Thread.ofVirtual().name("tokenwise-upstream-watchdog").unstarted(this);
  }

  /** Starts watching an attempt that the calling thread is about to send. */
  static Watchdog start(UpstreamRequest.Timeouts limits) {
    Watchdog w = new Watchdog(limits);
    w.thread.start();
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
    LockSupport.unpark(thread);
  }

  /** The send failed before any headers: the watchdog ends, and an interrupt it sent is cleared. */
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
    LockSupport.unpark(thread);
  }

  /** A read of the body returned: the idle timeout starts again. */
  void read() {
    lastReadNanos = System.nanoTime();
  }

  /** The attempt is over; the watchdog ends. */
  void done() {
    phase = Phase.DONE;
    LockSupport.unpark(thread);
  }

  /** Why the watchdog cut the attempt (a sentence naming the limit and its key), or null when it did not. */
  String reason() {
    return reason;
  }

  @Override
  public void run() {
    long total = startNanos + limits.total().toNanos();
    while (true) {
      Phase p = phase;
      if (p == Phase.DONE) {
        return;
      }
      long now = System.nanoTime();
      long firstByte = startNanos + limits.firstByte().toNanos();
      long idle = lastReadNanos + limits.idle().toNanos();
      long deadline = p == Phase.HEADERS ? Math.min(firstByte, total) : Math.min(idle, total);
      if (now - deadline >= 0) {
        if (fire(p, deadline == total ? Limit.TOTAL : p == Phase.HEADERS ? Limit.FIRST_BYTE : Limit.IDLE)) {
          return;
        }
        continue; // the phase moved on meanwhile: look again
      }
      LockSupport.parkNanos(this, deadline - now);
    }
  }

  /** Which limit ran out. */
  enum Limit {
    FIRST_BYTE,
    IDLE,
    TOTAL
  }

  /** Cuts the attempt, unless its phase changed since {@code seen}; returns whether it did. */
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
        cancel.run();
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
