package dev.tokenwise.demo;

import dev.tokenwise.core.Dialect;
import dev.tokenwise.provider.sim.Rule;
import dev.tokenwise.provider.sim.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A month of realistic traffic from six call patterns, each with the waste an audit should find. At
 * full scale a month holds about 17,500 calls:
 *
 * <ul>
 *   <li>{@value #CLASSIFY} (70 a day, 08:00–18:00): gpt-4o labels support tickets of 600–900 tokens
 *       with {@code max_tokens: 4096} for a label of a few tokens (a frontier model for a tiny output,
 *       and a cap far above the need); one ticket in ten (its number ends in 7) is hard to label: the
 *       simulator's mid-sized models get it right, its small ones do not, so an eval has a line to find;</li>
 *   <li>{@value #SUPPORT} (10 conversations a day of 3–20 turns, 07:00–23:00): gpt-4.1 streams support
 *       answers of 150–280 tokens into a history that grows with them, under a 2,000-token system prompt whose first line
 *       is the time to the minute (context growth, and a prefix no prompt cache can hit);</li>
 *   <li>{@value #FAQ} (100 a day, 08:00–23:00): gpt-4o-mini at temperature 0; 37 % of the questions are
 *       asked word for word before, 20 % are the same questions in other words (exact and near
 *       duplicates);</li>
 *   <li>{@value #EXTRACT} (70 a day, 06:00–20:00): gpt-4.1-mini in JSON mode with {@code max_tokens: 2048};
 *       the 4 % of badly scanned invoices make the model run on to the cap (runaway calls);</li>
 *   <li>{@value #NIGHTLY} (100–150 a night, 02:00–02:30): claude-haiku-4-5 summarises long account reports
 *       of 1,500–3,000 tokens in about 200 (work that could wait for a batch);</li>
 *   <li>{@value #RAG} (120 a day, 10:00–16:00, minutes apart): claude-sonnet-4-5 answers documentation
 *       questions under the same 5,000-token prompt, sent without cache breakpoints (prompt caching).</li>
 * </ul>
 *
 * <p>Fault windows add failed attempts: on day 9, 40 % of gpt-4o's calls get a 503 from 12:00 to 15:00;
 * on day 20, half of claude-sonnet-4-5's get a 529 from 10:00 to 12:00.
 *
 * <p>A month is 30 days. Everything is drawn from the seed and the time since the month's start, so the
 * same seed gives the same calls in any month: a second month replays the same workload (only the dates
 * written in prompts change), and the difference in its bill is the configuration's doing. {@code scale}
 * keeps the mix and sends fewer calls.
 */
public final class DemoTraffic {
  /** Support tickets labelled by a frontier model. */
  public static final String CLASSIFY = "classify-ticket";
  /** A streamed support chat with a growing history. */
  public static final String SUPPORT = "support-chat";
  /** Help-page questions, many of them repeated. */
  public static final String FAQ = "faq-bot";
  /** Invoices extracted to JSON, a few running away. */
  public static final String EXTRACT = "extract-invoice";
  /** A nightly burst of long summaries. */
  public static final String NIGHTLY = "nightly-summary";
  /** Documentation answers under one long, stable prompt. */
  public static final String RAG = "rag-answer";
  /** The six patterns, in the order reports list them. */
  public static final List<String> TAGS = List.of(CLASSIFY, SUPPORT, FAQ, EXTRACT, NIGHTLY, RAG);
  /** The length of a month. */
  public static final Duration MONTH = Duration.ofDays(30);

  /**
   * A window of simulated time in which a share of one model's calls fail.
   *
   * @param model the model whose calls fail
   * @param status the HTTP status they get
   * @param chance the share of calls that fail
   * @param from the window's start
   * @param until the window's end, excluded
   */
  public record Fault(String model, int status, double chance, Instant from, Instant until) {}

  private static final int DAYS = 30;
  /** The support assistant's model; its answers run 150 to 280 tokens, as a support answer does. */
  static final String SUPPORT_MODEL = "gpt-4.1";
  private static final Duration HOUR = Duration.ofHours(1);

  private final long seed;
  private final Instant start;
  private final double scale;
  private final List<DemoCall> calls;
  private final List<Fault> faults;

  private DemoTraffic(long seed, Instant start, double scale, List<DemoCall> calls, List<Fault> faults) {
    this.seed = seed;
    this.start = start;
    this.scale = scale;
    this.calls = calls;
    this.faults = faults;
  }

  /**
   * The month of traffic that starts at {@code start}.
   *
   * @param seed what every draw follows: the same seed, the same calls
   * @param scale the share of the full volume to send, above 0 and at most 1
   */
  public static DemoTraffic month(long seed, Instant start, double scale) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("scale must be above 0 and at most 1, got " + scale);
    }
    List<DemoCall> calls = new ArrayList<>();
    for (int day = 0; day < DAYS; day++) {
      Instant midnight = start.plus(Duration.ofDays(day));
      spread(calls, seed, day, CLASSIFY, count(70, scale, rng(seed, CLASSIFY, day)), midnight, 8, 18,
          "gpt-4o", Dialect.OPENAI, false);
      chats(calls, seed, day, scale, midnight);
      spread(calls, seed, day, FAQ, count(100, scale, rng(seed, FAQ, day)), midnight, 8, 23,
          "gpt-4o-mini", Dialect.OPENAI, false);
      spread(calls, seed, day, EXTRACT, count(70, scale, rng(seed, EXTRACT, day)), midnight, 6, 20,
          "gpt-4.1-mini", Dialect.OPENAI, false);
      Random night = rng(seed, NIGHTLY + "/size", day);
      int burst = count(100 + night.nextInt(51), scale, night);
      spread(calls, seed, day, NIGHTLY, burst, midnight.plus(Duration.ofHours(2)), 0, 0.5,
          "claude-haiku-4-5", Dialect.ANTHROPIC, false);
      spread(calls, seed, day, RAG, count(120, scale, rng(seed, RAG, day)), midnight, 10, 16,
          "claude-sonnet-4-5", Dialect.ANTHROPIC, false);
    }
    calls.sort(Comparator.comparing(DemoCall::at));
    Instant day9 = start.plus(Duration.ofDays(8));
    Instant day20 = start.plus(Duration.ofDays(19));
    List<Fault> faults = List.of(
        new Fault("gpt-4o", 503, 0.40, day9.plus(HOUR.multipliedBy(12)), day9.plus(HOUR.multipliedBy(15))),
        new Fault("claude-sonnet-4-5", 529, 0.50, day20.plus(HOUR.multipliedBy(10)),
            day20.plus(HOUR.multipliedBy(12))));
    return new DemoTraffic(seed, start, scale, List.copyOf(calls), faults);
  }

  /** The month's first instant. */
  public Instant start() {
    return start;
  }

  /** The instant after the month's last. */
  public Instant end() {
    return start.plus(MONTH);
  }

  /** The seed the month was drawn from. */
  public long seed() {
    return seed;
  }

  /** The share of the full volume this month sends. */
  public double scale() {
    return scale;
  }

  /** Every call of the month, in time order. */
  public List<DemoCall> calls() {
    return calls;
  }

  /** The month's fault windows. */
  public List<Fault> faults() {
    return faults;
  }

  /** How many calls each pattern makes this month, in the order of {@link #TAGS}. */
  public Map<String, Integer> callsPerTag() {
    Map<String, Integer> out = new LinkedHashMap<>();
    TAGS.forEach(t -> out.put(t, 0));
    calls.forEach(c -> out.merge(c.tag(), 1, Integer::sum));
    return out;
  }

  /**
   * Scripts the simulator for this month, on top of what it already has: the fault windows first (so
   * that they win in their hours), then the runaway answers of badly scanned invoices, then the length
   * of summaries (170–230 tokens) and documentation answers (60–160 tokens), and how hard the tickets
   * are to label (difficulty 4 for the numbers ending in 7, else 1). The content rules follow the prompt,
   * not the model, so they hold whichever model a policy routes to.
   */
  public void script(Simulator sim) {
    for (Fault f : faults) {
      sim.on(f.model()).fail(f.status()).chance(f.chance()).during(f.from(), f.until());
    }
    sim.on(Rule.ANY_MODEL).runaway().matching(Pattern.quote(Bodies.POOR_SCAN));
    sim.on(Rule.ANY_MODEL).answerTokens(170, 230).matching("^" + Pattern.quote(Bodies.SUMMARY_ASK));
    sim.on(Rule.ANY_MODEL).answerTokens(60, 160).matching("^" + Pattern.quote(Bodies.DOC_QUESTION));
    sim.on(SUPPORT_MODEL).answerTokens(150, 280);
    String ticket = "^" + Pattern.quote(Bodies.CLASSIFY_ASK) + "\\s+Ticket #";
    sim.on(Rule.ANY_MODEL).matching(ticket + "\\d*7 ").difficulty(4);
    sim.on(Rule.ANY_MODEL).matching(ticket).difficulty(1);
  }

  /** The calls of one pattern and day, at times drawn uniformly between two hours of the day. */
  private static void spread(List<DemoCall> out, long seed, int day, String tag, int n, Instant midnight,
      double fromHour, double toHour, String model, Dialect dialect, boolean stream) {
    Random r = rng(seed, tag + "/calls", day);
    long from = (long) (fromHour * 3_600_000);
    long span = (long) ((toHour - fromHour) * 3_600_000);
    for (int i = 0; i < n; i++) {
      Instant at = midnight.plusMillis(from + (long) (r.nextDouble() * span));
      out.add(new DemoCall(at, tag, model, dialect, stream, r.nextLong(), null, 0));
    }
  }

  /** The support conversations of a day: 10 at full scale, starting between 07:00 and 22:00. */
  private static void chats(List<DemoCall> out, long seed, int day, double scale, Instant midnight) {
    Random r = rng(seed, SUPPORT, day);
    int n = count(10, scale, r);
    for (int c = 0; c < n; c++) {
      Instant at = midnight.plusMillis(7 * 3_600_000L + (long) (r.nextDouble() * 15 * 3_600_000L));
      // 3 to 20 turns, short conversations more common than long ones (about 10 on average)
      int turns = 3 + (int) (18 * Math.pow(r.nextDouble(), 1.5));
      Chat chat = new Chat(r.nextLong(), turns);
      for (int t = 0; t < turns; t++) {
        out.add(new DemoCall(at, SUPPORT, SUPPORT_MODEL, Dialect.OPENAI, true, r.nextLong(), chat, t));
        at = at.plusSeconds(20 + r.nextInt(130));
      }
    }
  }

  /** {@code full × scale}, its fraction rounded up or down at random so that the mean is exact. */
  private static int count(int full, double scale, Random r) {
    double x = full * scale;
    int whole = (int) x;
    return whole + (r.nextDouble() < x - whole ? 1 : 0);
  }

  /** A generator for one pattern and day, independent of every other pattern and day. */
  private static Random rng(long seed, String stream, int day) {
    long h = seed * 0x9e3779b97f4a7c15L + day;
    for (int i = 0; i < stream.length(); i++) {
      h = (h ^ stream.charAt(i)) * 0x100000001b3L;
    }
    return new Random(h);
  }
}
