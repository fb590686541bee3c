package dev.tokenwise.provider;

import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer of the upstream client's {@link Watchdog}s: a thread that sleeps until the earliest of
 * their deadlines, asks that watchdog whether a limit ran out, and sleeps again.
 *
 * <p>Design note: a thread per attempt woke a carrier thread three times per request (start, headers,
 * end), which cost 0.17 ms of latency at one connection on the gateway benchmark. Here an attempt adds
 * one entry to a skip list and removes it at its end; its deadline is seldom the earliest, so nothing is
 * woken. An attempt's deadlines move (each read pushes the idle limit on) without touching the list: when
 * its entry comes due, the watchdog says when to look again.
 */
final class Watchdogs implements AutoCloseable {
  /** One registered deadline. */
  record Entry(long due, long seq, Watchdog watchdog) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final ConcurrentSkipListSet<Entry> entries = new ConcurrentSkipListSet<>();
  private final AtomicLong seq = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  Watchdogs() {
    this.thread = Thread.ofPlatform().daemon().name("tokenwise-upstream-timeouts").start(this::run);
  }

  /** Registers a deadline ({@link System#nanoTime()} based); returns the entry to remove at the attempt's end. */
  Entry add(Watchdog w, long due) {
    Entry e = new Entry(due, seq.incrementAndGet(), w);
    entries.add(e);
    if (first() == e) {
      LockSupport.unpark(thread); // earlier than what the timer sleeps towards
    }
    return e;
  }

  /** Drops a deadline that no longer matters. */
  void remove(Entry e) {
    if (e != null) {
      entries.remove(e);
    }
  }

  /** Deadlines registered now (for tests). */
  int size() {
    return entries.size();
  }

  private Entry first() {
    try {
      return entries.first();
    } catch (NoSuchElementException e) {
      return null;
    }
  }

  private void run() {
    while (!closed) {
      Entry e = first();
      if (e == null) {
        LockSupport.park(this);
        continue;
      }
      long wait = e.due() - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue;
      }
      if (entries.remove(e)) {
        try {
          e.watchdog().due(System.nanoTime());
        } catch (RuntimeException ex) {
          // one attempt's failure to close must not stop the timer of all the others
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
