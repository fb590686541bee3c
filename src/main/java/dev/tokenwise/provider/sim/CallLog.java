package dev.tokenwise.provider.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calls received, oldest first, with a bounded wait for one to finish. While keeping is off, calls
 * are not kept but counted once finished, so that {@link #tally()} still covers every call.
 */
final class CallLog {
  private final List<Entry> entries = new ArrayList<>();
  private boolean keep = true;
  private int forgotten;
  private final Map<Call.State, Integer> forgottenStates = new EnumMap<>(Call.State.class);
  private final Map<Integer, Integer> forgottenStatuses = new TreeMap<>();

  synchronized Entry begin(String method, String path, Map<String, String> headers, String body) {
    if (!keep) {
      return new Entry(method, path, Map.of(), "", false);
    }
    Entry e = new Entry(method, path, headers, body, true);
    entries.add(e);
    return e;
  }

  synchronized void keep(boolean on) {
    keep = on;
  }

  synchronized List<Call> snapshot() {
    return entries.stream().map(Entry::snapshot).toList();
  }

  /** How many calls there were, by how far their answer got and by the status sent (0 = none). */
  synchronized Tally tally() {
    Map<Call.State, Integer> byState = new EnumMap<>(forgottenStates);
    Map<Integer, Integer> byStatus = new TreeMap<>(forgottenStatuses);
    for (Entry e : entries) {
      byState.merge(e.state, 1, Integer::sum);
      byStatus.merge(e.status, 1, Integer::sum);
    }
    return new Tally(entries.size() + forgotten, byState, byStatus);
  }

  /** The counts of {@link #tally()}. */
  record Tally(int calls, Map<Call.State, Integer> byState, Map<Integer, Integer> byStatus) {}

  synchronized void clear() {
    entries.clear();
    forgotten = 0;
    forgottenStates.clear();
    forgottenStatuses.clear();
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
    private final boolean kept;
    private int status;
    private Call.State state = Call.State.IN_FLIGHT;

    private Entry(String method, String path, Map<String, String> headers, String body, boolean kept) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
      this.kept = kept;
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
          if (!kept) {
            forgotten++;
            forgottenStates.merge(end, 1, Integer::sum);
            forgottenStatuses.merge(status, 1, Integer::sum);
          }
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
