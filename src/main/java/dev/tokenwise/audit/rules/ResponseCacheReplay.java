package dev.tokenwise.audit.rules;

import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.CallShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replays a pattern's calls, oldest first, through the response cache a policy would turn on, and says
 * which calls it would have served. Shared by the exact and the semantic cache rules so that the two
 * never count the same call: a near repeat is never an exact one, and the exact repeats are the same
 * calls whether near ones are looked for or not (a near hit's own request is kept as the exact replay
 * keeps it).
 *
 * <p>The replay follows the gateway's cache: an answer is kept from the call that missed and served for
 * the TTL from then, not from its last hit (a hit does not renew it); only complete answers (status
 * 200, finish {@code stop}, {@code end_turn}, {@code stop_sequence}) and answers that call a tool are
 * kept, never those cut by a length limit or a content filter; keys are per tenant, dialect, provider and model, so one tenant never
 * counts another's repeats. Calls the response cache already served (hit rows) and calls without an
 * answer or a shape take no part.
 */
final class ResponseCacheReplay {
  /** Finish reasons of complete answers, which the cache keeps (as the gateway's cache lookup does). */
  private static final Set<String> COMPLETE = Set.of("stop", "end_turn", "stop_sequence");
  /** Finish reasons of answers that call a tool, which the cache keeps only with {@code tool_calls: true}. */
  private static final Set<String> TOOL_CALL = Set.of("tool_calls", "tool_use", "function_call");

  /**
   * A call the cache would have served, and the answer it would have served.
   *
   * @param call the call
   * @param storedAnswerHash the answer hash of the call whose answer was kept
   * @param storedToolCall whether that kept answer called a tool
   */
  record Hit(CallRow call, long storedAnswerHash, boolean storedToolCall) {
    /** Whether both answers are known and equal. */
    boolean sameAnswer() {
      return storedAnswerHash != 0 && storedAnswerHash == call.shape().answerHash();
    }

    /** Whether both answers are known and differ. */
    boolean otherAnswer() {
      return storedAnswerHash != 0 && call.shape().answerHash() != 0 && storedAnswerHash != call.shape().answerHash();
    }
  }

  private record Key(String tenant, String dialect, String provider, String model, long hash) {}

  private record Entry(long storedAtMs, long answerHash, boolean toolCall) {}

  private final List<CallRow> eligible;
  private final List<Hit> exact;
  private final List<Hit> near;
  private final int distinctRequests;

  private ResponseCacheReplay(List<CallRow> eligible, List<Hit> exact, List<Hit> near, int distinctRequests) {
    this.eligible = eligible;
    this.exact = exact;
    this.near = near;
    this.distinctRequests = distinctRequests;
  }

  /**
   * Replays the calls with answers kept for {@code ttl}.
   *
   * @param semantic whether to find near repeats as well: repeatable single-turn calls whose query (the
   *     content words of the question) was kept within the TTL while their exact request was not
   */
  static ResponseCacheReplay of(List<CallRow> calls, Duration ttl, boolean semantic) {
    long ttlMs = ttl.toMillis();
    List<CallRow> eligible = new ArrayList<>();
    for (CallRow c : calls) {
      if (c != null && c.ok() && c.shape() != null && !c.cacheHit()) {
        eligible.add(c);
      }
    }
    eligible.sort(Comparator.comparingLong(CallRow::timeMs)); // stable: calls of one instant keep their order
    int size = Math.max(16, eligible.size() * 4 / 3 + 1);
    Map<Key, Entry> answers = new HashMap<>(size);
    Map<Key, Entry> questions = new HashMap<>(semantic ? size : 16);
    Set<Key> requests = new HashSet<>(size);
    List<Hit> exact = new ArrayList<>();
    List<Hit> near = new ArrayList<>();
    for (CallRow c : eligible) {
      CallShape s = c.shape();
      Key request = key(c, s.requestHash());
      requests.add(request);
      Entry kept = answers.get(request);
      if (kept != null && c.timeMs() - kept.storedAtMs() <= ttlMs) {
        exact.add(new Hit(c, kept.answerHash(), kept.toolCall()));
        continue;
      }
      boolean askable = semantic && s.repeatable() && s.turns() == 1;
      Key question = askable ? key(c, s.queryHash()) : null;
      Entry similar = askable ? questions.get(question) : null;
      boolean nearHit = similar != null && c.timeMs() - similar.storedAtMs() <= ttlMs;
      if (nearHit) {
        near.add(new Hit(c, similar.answerHash(), similar.toolCall()));
      }
      if (keepable(c)) {
        Entry e = new Entry(c.timeMs(), s.answerHash(), c.finishReason() != null && TOOL_CALL.contains(c.finishReason()));
        answers.put(request, e); // as the exact replay keeps it, so that both replays find the same exact repeats
        if (askable && !nearHit) {
          questions.put(question, e);
        }
      }
    }
    return new ResponseCacheReplay(List.copyOf(eligible), List.copyOf(exact), List.copyOf(near), requests.size());
  }

  private static Key key(CallRow c, long hash) {
    return new Key(Objects.toString(c.tenant(), ""), Objects.toString(c.dialect(), ""),
        Objects.toString(c.provider(), ""), Objects.toString(c.model(), ""), hash);
  }

  private static boolean keepable(CallRow c) {
    return c.status() == 200 && c.finishReason() != null
        && (COMPLETE.contains(c.finishReason()) || TOOL_CALL.contains(c.finishReason()));
  }

  /** The calls that took part: answered, with a shape, not served by the cache already; oldest first. */
  List<CallRow> eligible() {
    return eligible;
  }

  /** The calls that repeat a kept request exactly. */
  List<Hit> exact() {
    return exact;
  }

  /** The calls that reword a kept question (only when replayed with {@code semantic}). */
  List<Hit> near() {
    return near;
  }

  /** The different requests among the eligible calls. */
  int distinctRequests() {
    return distinctRequests;
  }

  /** What the hits cost, in picodollars; hits of unknown cost count nothing. */
  static long cost(List<Hit> hits) {
    long sum = 0;
    for (Hit h : hits) {
      if (h.call().costPicoUsd() != null) {
        sum += h.call().costPicoUsd();
      }
    }
    return sum;
  }

  /** How many hits have no known cost. */
  static int unpriced(List<Hit> hits) {
    int n = 0;
    for (Hit h : hits) {
      if (h.call().costPicoUsd() == null) {
        n++;
      }
    }
    return n;
  }
}
