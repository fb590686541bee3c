package dev.tokenwise.provider.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The calls received, oldest first, with a bounded wait for one to finish. */
final class CallLog {
  private final List<Entry> entries = new ArrayList<>();

  synchronized Entry begin(String method, String path, Map<String, String> headers, String body) {
    Entry e = new Entry(method, path, headers, body);
    entries.add(e);
    return e;
  }

  synchronized List<Call> snapshot() {
    return entries.stream().map(Entry::snapshot).toList();
  }

  /** How many calls there were, by how far their answer got and by the status sent (0 = none). */
  synchronized Tally tally() {
    java.util.Map<Call.State, Integer> byState = new java.util.EnumMap<>(Call.State.class);
    java.util.Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
    for (Entry e : entries) {
      byState.merge(e.state, 1, Integer::sum);
      byStatus.merge(e.status, 1, Integer::sum);
    }
    return new Tally(entries.size(), byState, byStatus);
  }

  /** The counts of {@link #tally()}. */
  record Tally(int calls, java.util.Map<Call.State, Integer> byState, java.util.Map<Integer, Integer> byStatus) {}

  synchronized void clear() {
    entries.clear();
  }

  /** Waits until the call at {@code index} exists and is finished; fails loudly after the timeout. */
  synchronized Call await(int index, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (index >= entries.size() || !entries.get(index).snapshot().finished()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String seen = index < entries.size() ? "it is still " + entries.get(index).snapshot().state()
            : "only " + entries.size() + " calls were received";
        throw new IllegalStateException(
            "call " + index + " did not finish within " + timeout + ": " + seen);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for call " + index, e);
      }
    }
    return entries.get(index).snapshot();
  }

  /** One call as it progresses; state changes wake the waiters of the log. */
  final class Entry {
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final String body;
    private int status;
    private Call.State state = Call.State.IN_FLIGHT;

    private Entry(String method, String path, Map<String, String> headers, String body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    void status(int status) {
      synchronized (CallLog.this) {
        this.status = status;
      }
    }

    /** Records the end of the answer; the first end wins. */
    void finish(Call.State end) {
      synchronized (CallLog.this) {
        if (state == Call.State.IN_FLIGHT) {
          state = end;
          CallLog.this.notifyAll();
        }
      }
    }

    Call snapshot() {
      synchronized (CallLog.this) {
        return new Call(method, path, headers, body, status, state);
      }
    }
  }
}
