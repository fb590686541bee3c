package dev.tokenwise.guard;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guards that are tripped now, so that a trip is alerted once and not once per refused call. The
 * first judgement that finds a guard over holds it here and claims it in the counter (shared through
 * Redis, so that of several instances only the first alerts); the first that finds it no longer over,
 * here or on another instance, releases the claim and alerts the clear.
 */
final class Trips {
  private static final Logger LOG = System.getLogger(SpendGuard.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SpendCounter counter;
  private final AlertSink alerts;
  private final Clock clock;
  private final ConcurrentHashMap<String, Alert> held = new ConcurrentHashMap<>();
  private final Map<Judge.Kind, LongAdder> counts = new EnumMap<>(Judge.Kind.class);

  Trips(SpendCounter counter, AlertSink alerts, Clock clock) {
    this.counter = counter;
    this.alerts = alerts;
    this.clock = clock;
    for (Judge.Kind k : Judge.Kind.values()) {
      counts.put(k, new LongAdder());
    }
  }

  /** Alerts the guards that tripped since the last look, and the clears of those held that no longer are. */
  void observe(List<Judge.Judged> judged) {
    for (Judge.Judged j : judged) {
      String key = j.key();
      if (j.over()) {
        if (held.containsKey(key)) {
          continue;
        }
        Alert a = new Alert(newId(), clock.instant(), j.kind().id, j.scope(), j.period(), j.figure(), j.limit(),
            j.message());
        if (held.putIfAbsent(key, a) == null && counter.claim(key, a.id(), ttl(j.period()))) {
          counts.get(j.kind()).increment();
          LOG.log(Level.WARNING, "spend guard tripped ({0} {1}, alert {2}): {3}", a.kind(), a.period(), a.id(),
              a.message());
          alerts.tripped(a);
        }
      } else if (held.remove(key) != null) {
        String id = counter.release(key);
        if (id != null) {
          LOG.log(Level.INFO, "spend guard cleared ({0} {1} of {2}, alert {3}): the spend fell back", j.kind().id,
              j.period(), j.scope(), id);
          alerts.cleared(id, clock.instant(), "window");
        }
      }
    }
  }

  /** Clears these trips at an administrator's word, here and wherever they were claimed. */
  List<SpendGuard.Cleared> clearAll(List<String> keys) {
    List<SpendGuard.Cleared> out = new ArrayList<>();
    for (String key : keys) {
      held.remove(key);
      String id = counter.release(key);
      if (id != null) {
        String[] p = key.split("\\|", 3);
        LOG.log(Level.INFO, "spend guard cleared ({0} {1} of {2}, alert {3}) by an administrator", p[0], p[1], p[2],
            id);
        alerts.cleared(id, clock.instant(), "admin");
        out.add(new SpendGuard.Cleared(id, p[0], p[2], p[1]));
      }
    }
    return out;
  }

  /** The trips held here, oldest first. */
  List<Alert> active() {
    return held.values().stream().sorted(java.util.Comparator.comparing(Alert::time).thenComparing(Alert::id))
        .toList();
  }

  /** Trips alerted by this instance, by kind. */
  Map<String, Long> counts() {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k.id, v.sum()));
    return out;
  }

  /** How long a claim outlives its trip at most: the window, plus an hour for the calls it refuses meanwhile. */
  static Duration ttl(String period) {
    Duration window = switch (period) {
      case "1h" -> Duration.ofHours(1);
      case "24h" -> Duration.ofHours(24);
      default -> Duration.ofMinutes(Long.parseLong(period.substring(0, period.length() - 1)));
    };
    return window.plusHours(1);
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "al-" + HexFormat.of().formatHex(b);
  }
}
