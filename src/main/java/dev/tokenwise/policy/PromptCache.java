package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code prompt_cache: auto} tactic. On Anthropic-format calls sent to Anthropic as they are, it
 * marks the stable prefix (tool definitions, then the system prompt) with {@code cache_control} when
 * the pattern's pace makes a cache write pay for itself. On every call with the tactic, in either
 * dialect, it notices system prompts that are not byte-stable (a timestamp or an id filled in on each
 * call), which no provider cache can match, and keeps the share of the pattern's input that was read
 * from the cache.
 *
 * <p>Why the thresholds: a write costs a premium over plain input (0.25 of the input price for five
 * minutes, 1.0 for an hour) and each read saves 0.9 of it, so a write pays once more than premium / 0.9
 * reads follow it within its lifetime. The reads expected are the calls the pattern's mean arrival rate
 * brings within that lifetime. The lifetime itself is chosen from the median gap between calls, which a
 * single idle night does not move.
 */
final class PromptCache implements Stage {
  static final String TACTIC = "prompt_cache";
  static final int MAX_BREAKPOINTS = 4;
  static final int MIN_CALLS = 3;
  static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  static final Duration ONE_HOUR = Duration.ofHours(1);
  /** A median gap under this is "well under" five minutes: most calls land inside a 5-minute entry. */
  static final Duration FIVE_MINUTE_BAND = Duration.ofMinutes(4);
  private static final double READ_SAVING = 0.9;
  static final double PAYS_5M = 0.25 / READ_SAVING;
  static final double PAYS_1H = 1.0 / READ_SAVING;
  private static final int MAX_PATTERNS = 4096;
  /** The server sets string values over 64 KiB aside and leaves a placeholder in the parsed body. */
  private static final String SET_ASIDE = "tw-large-";
  private static final int SET_ASIDE_CHARS = 64 * 1024;

  private final Clock clock;
  private final Map<String, PromptCacheHistory> patterns = new ConcurrentHashMap<>();

  PromptCache(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return TACTIC;
  }

  @Override
  public void before(Exchange ex) {
    if (!enabled(ex)) {
      return;
    }
    PromptCacheHistory history = history(ex);
    long now = clock.millis();
    PromptCacheHistory.Pace pace = history.arrive(now);
    String system = PatternFingerprint.systemText(ex.dialect(), ex.body());
    boolean drifted = !system.isEmpty() && !system.contains(SET_ASIDE) && history.unstable(system);
    if (drifted) {
      PromptCacheStats s = history.stats();
      ex.record(new Decision(name(), "system prompt not byte-stable (its text changed " + s.unstablePrefixes()
          + " time(s) in " + s.calls() + " calls while its template stayed the same: dates, ids or numbers"
          + " filled in) — caching cannot hit"));
    }
    if (ex.translated()) {
      ex.record(new Decision(name(), "skipped: the call is translated to " + ex.upstreamDialect().id()
          + ", and breakpoints are only placed on Anthropic calls sent as they are"));
      return;
    }
    if (ex.dialect() == Dialect.ANTHROPIC && ex.upstreamDialect() == Dialect.ANTHROPIC) {
      place(ex, pace, now, drifted);
    }
  }

  @Override
  public void after(Exchange ex, Outcome outcome) {
    Usage usage = outcome.usage();
    if (usage != null && enabled(ex)) {
      history(ex).tokens(usage.totalInputTokens(), usage.cachedInputTokens());
    }
  }

  /** What the tactic saw of each pattern, by pattern. */
  Map<String, PromptCacheStats> stats() {
    Map<String, PromptCacheStats> out = new LinkedHashMap<>();
    patterns.forEach((pattern, h) -> out.put(pattern, h.stats()));
    return out;
  }

  /** What the tactic saw of one pattern; all zero when it saw none of its calls. */
  PromptCacheStats stats(String pattern) {
    PromptCacheHistory h = patterns.get(pattern);
    return h == null ? new PromptCacheStats(0, 0, 0, 0) : h.stats();
  }

  private void place(Exchange ex, PromptCacheHistory.Pace pace, long now, boolean systemDrifted) {
    ObjectNode body = ex.body();
    JsonNode tools = body.get("tools");
    boolean hasTools = tools != null && tools.isArray() && !tools.isEmpty();
    long toolChars = hasTools ? Json.string(tools).length() : 0;
    long toolTokens = toolChars / 4; // about four characters a token: an estimate, not a tokenizer
    long prefixTokens = (toolChars + systemChars(body.get("system"))) / 4;
    String model = ex.route() != null ? ex.upstreamModel() : ex.targetModel();
    int minimum = minimum(model);
    if (prefixTokens < minimum) {
      ex.record(new Decision(name(), "no breakpoints: prefix ~" + prefixTokens + " tokens is below the "
          + minimum + "-token minimum of " + model));
      return;
    }
    if (pace.observed() < MIN_CALLS) {
      ex.record(new Decision(name(), "no breakpoints yet: " + pace.observed() + " call(s) of this pattern seen, "
          + "caching starts at " + MIN_CALLS));
      return;
    }
    Duration median = pace.medianGap();
    Duration ttl = median.compareTo(FIVE_MINUTE_BAND) < 0 ? FIVE_MINUTES
        : median.compareTo(ONE_HOUR) <= 0 ? ONE_HOUR : null;
    if (ttl == null) {
      ex.record(new Decision(name(), "no breakpoints: calls come ~" + human(median)
          + " apart (median), longer than any cache entry lives"));
      return;
    }
    double reads = pace.readsPerWrite(ttl);
    double needed = ttl.equals(FIVE_MINUTES) ? PAYS_5M : PAYS_1H;
    if (reads <= needed) {
      ex.record(new Decision(name(), String.format(Locale.ROOT, "no breakpoints: ~%.2f reads expected per %s"
          + " write, more than %.2f needed to pay for it", reads, ttlName(ttl), needed)));
      return;
    }
    List<Boolean> toolMarks = new ArrayList<>();
    List<Boolean> systemMarks = new ArrayList<>();
    List<Boolean> laterMarks = new ArrayList<>();
    clientMarkers(body, toolMarks, systemMarks, laterMarks);
    int free = MAX_BREAKPOINTS - toolMarks.size() - systemMarks.size() - laterMarks.size();
    ObjectNode lastTool = hasTools && tools.get(tools.size() - 1) instanceof ObjectNode t
        && !t.has("cache_control") && toolTokens >= minimum ? t : null;
    boolean systemFree = !systemDrifted && systemMarkable(body.get("system"));
    if (lastTool == null && !systemFree) {
      ex.record(new Decision(name(), "no breakpoints added: tools and system prompt are already marked, too"
          + " short to cache alone, or not byte-stable"));
      return;
    }
    if (free <= 0) {
      ex.record(new Decision(name(), "no breakpoints added: the request already uses all " + MAX_BREAKPOINTS));
      return;
    }
    if (free == 1 && lastTool != null && systemFree) {
      lastTool = null; // one slot: the system breakpoint caches the tools as well
    }
    boolean oneHour = ttl.equals(ONE_HOUR);
    List<Boolean> order = new ArrayList<>(toolMarks);
    if (lastTool != null) {
      order.add(oneHour);
    }
    order.addAll(systemMarks);
    if (systemFree) {
      order.add(oneHour);
    }
    order.addAll(laterMarks);
    if (!longerFirst(order)) {
      ex.record(new Decision(name(), "no breakpoints added: a " + ttlName(ttl) + " breakpoint here would put a"
          + " 5-minute one before a 1-hour one among the client's, which Anthropic rejects"));
      return;
    }
    List<String> placed = new ArrayList<>(2);
    if (lastTool != null) {
      lastTool.set("cache_control", marker(ttl));
      placed.add("tools");
    }
    if (systemFree) {
      markSystem(body, ttl);
      placed.add("system");
    }
    ex.cacheMarksPlaced(true);
    ex.markChanged(new Decision(name(), placed.size() + (placed.size() == 1 ? " breakpoint (" : " breakpoints (")
        + String.join(", ", placed) + "), ttl " + ttlName(ttl) + ", prefix ~" + prefixTokens + " tokens, "
        + pace.callsWithin(ttl, now) + " calls/" + (oneHour ? "hour" : "5 min")));
  }

  /** Whether the policy of the call turns the tactic on. */
  private static boolean enabled(Exchange ex) {
    Policy p = ex.policy();
    return p != null && "auto".equals(String.valueOf(p.tactic(TACTIC)));
  }

  private PromptCacheHistory history(Exchange ex) {
    String pattern = ex.pattern() == null ? "" : ex.pattern();
    PromptCacheHistory h = patterns.get(pattern);
    if (h != null) {
      return h;
    }
    if (patterns.size() >= MAX_PATTERNS) {
      evictQuietest();
    }
    return patterns.computeIfAbsent(pattern, k -> new PromptCacheHistory());
  }

  /** Forgets the pattern called least recently, so that a stream of one-off patterns stays bounded. */
  private void evictQuietest() {
    String quietest = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<String, PromptCacheHistory> e : patterns.entrySet()) {
      long last = e.getValue().lastArrival();
      if (last < oldest) {
        oldest = last;
        quietest = e.getKey();
      }
    }
    if (quietest != null) {
      patterns.remove(quietest);
    }
  }

  /** The minimum cacheable prefix of a model, in tokens. */
  static int minimum(String model) {
    return PromptCacheMinimum.of(model);
  }

  /**
   * Collects the TTLs (true for one hour) of the client's own breakpoints in prefix order: tool
   * definitions, system blocks, then message blocks and the top-level automatic one, which sits on the
   * last block.
   */
  private static void clientMarkers(ObjectNode body, List<Boolean> tools, List<Boolean> system, List<Boolean> later) {
    for (JsonNode tool : body.path("tools")) {
      addMarker(tool, tools);
    }
    for (JsonNode block : body.path("system")) {
      addMarker(block, system);
    }
    for (JsonNode message : body.path("messages")) {
      for (JsonNode block : message.path("content")) {
        addMarker(block, later);
        for (JsonNode inner : block.path("content")) { // tool_result blocks carry their own blocks
          addMarker(inner, later);
        }
      }
    }
    addMarker(body, later);
  }

  private static void addMarker(JsonNode node, List<Boolean> into) {
    JsonNode cc = node.get("cache_control");
    if (cc != null && cc.isObject()) {
      into.add("1h".equals(cc.path("ttl").asText()));
    }
  }

  /** Whether every 1-hour breakpoint comes before every 5-minute one, as Anthropic requires. */
  private static boolean longerFirst(List<Boolean> oneHourInOrder) {
    boolean seenShort = false;
    for (boolean oneHour : oneHourInOrder) {
      if (oneHour && seenShort) {
        return false;
      }
      seenShort |= !oneHour;
    }
    return true;
  }

  /** Whether the last system block can take a breakpoint we add: non-empty text the client left unmarked. */
  private static boolean systemMarkable(JsonNode system) {
    if (system == null) {
      return false;
    }
    if (system.isTextual()) {
      return !system.asText().isEmpty();
    }
    if (!system.isArray() || system.isEmpty() || !(system.get(system.size() - 1) instanceof ObjectNode last)) {
      return false;
    }
    return !last.has("cache_control") && "text".equals(last.path("type").asText())
        && !last.path("text").asText().isEmpty();
  }

  private static void markSystem(ObjectNode body, Duration ttl) {
    JsonNode system = body.get("system");
    if (system.isTextual()) {
      ArrayNode blocks = body.putArray("system");
      blocks.addObject().put("type", "text").put("text", system.asText()).set("cache_control", marker(ttl));
    } else {
      ((ObjectNode) system.get(system.size() - 1)).set("cache_control", marker(ttl));
    }
  }

  private static ObjectNode marker(Duration ttl) {
    ObjectNode cc = Json.object().put("type", "ephemeral");
    if (ttl.equals(ONE_HOUR)) {
      cc.put("ttl", "1h");
    }
    return cc;
  }

  private static long systemChars(JsonNode system) {
    if (system == null) {
      return 0;
    }
    if (system.isTextual()) {
      return chars(system.asText());
    }
    long n = 0;
    for (JsonNode block : system) {
      n += chars(block.path("text").asText(""));
    }
    return n;
  }

  private static long chars(String text) {
    return text.startsWith(SET_ASIDE) ? SET_ASIDE_CHARS : text.length();
  }

  private static String ttlName(Duration ttl) {
    return ttl.equals(ONE_HOUR) ? "1h" : "5m";
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 2 * 3600) {
      return (s / 60) + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
  }
}
