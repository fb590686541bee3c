package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.CacheBatchText.count;
import static dev.tokenwise.audit.rules.CacheBatchText.perMillion;
import static dev.tokenwise.audit.rules.CacheBatchText.share;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.CallRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Calls that could wait for the providers' batch APIs, which bill half (PLAYBOOK tactic 9).
 *
 * <p>A pattern can wait when nothing in it shows a user waiting: none of its calls was streamed, none
 * carries a conversation (one user turn each: a later call does not need an earlier answer), and its
 * calls arrive as a job does, {@link #IN_BURSTS} of them in bursts ({@link #BURST_CALLS} or more calls,
 * each within {@link #BURST_GAP} of the one before) at no more than {@link #MAX_HOURS} hours of the day
 * (UTC); or when its name says so ({@link #NAMES}). The saving is what its calls cost less the same
 * tokens at the batch prices of each call's model (every term halved on Anthropic, cache reads and
 * writes included). A model without a batch price gives no finding. The gateway has no batch lane yet,
 * so the recommendation is blocked and says how to do it by hand.
 */
public final class BatchRule implements Rule {
  /** The fewest answered calls worth a finding: one burst. */
  static final int MIN_CALLS = 20;
  /** The fewest calls in a burst. */
  static final int BURST_CALLS = 20;
  /**
   * The longest gap between two calls of one burst: a job that sends one document after another waits
   * for each answer, tens of seconds for a long one.
   */
  static final Duration BURST_GAP = Duration.ofSeconds(60);
  /** The least share of calls in bursts for the pattern to be a job. */
  static final double IN_BURSTS = 0.80;
  /** The most hours of the day (UTC) a job's bursts fall in. */
  static final int MAX_HOURS = 3;
  /** Words in a pattern's name that say its calls can wait. */
  static final List<String> NAMES = List.of("batch", "nightly", "offline", "backfill");

  public BatchRule() {}

  @Override
  public String id() {
    return "batch";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    List<CallRow> answered = new ArrayList<>();
    int streamed = 0;
    int multiTurn = 0;
    for (CallRow c : calls.calls()) {
      if (c != null && c.ok()) {
        answered.add(c);
        streamed += c.stream() ? 1 : 0;
        multiTurn += c.shape() != null && c.shape().turns() > 1 ? 1 : 0;
      }
    }
    if (answered.size() < MIN_CALLS || streamed > 0 || multiTurn > 0) {
      return List.of();
    }
    Bursts bursts = Bursts.of(answered.stream().mapToLong(CallRow::timeMs).sorted().toArray());
    double inBursts = share(bursts.calls(), answered.size());
    boolean job = bursts.count() > 0 && inBursts >= IN_BURSTS && bursts.hours().size() <= MAX_HOURS;
    String name = calls.pattern() == null ? "" : calls.pattern().toLowerCase(Locale.ROOT);
    String namedBy = NAMES.stream().filter(name::contains).findFirst().orElse(null);
    if (!job && namedBy == null) {
      return List.of();
    }
    Optional<ModelPrice> main = calls.mainProvider() == null ? Optional.empty()
        : context.prices().find(calls.mainProvider(), calls.mainModel());
    if (main.isEmpty() || !batchPriced(main.get())) {
      return List.of();
    }
    long cost = 0;
    long batch = 0;
    int priced = 0;
    for (CallRow c : answered) {
      if (c.cacheHit()) {
        continue; // answered by the gateway's cache: no provider call to batch
      }
      Optional<ModelPrice> p = context.prices().find(c.provider(), c.model());
      Optional<Long> atBatch = c.costPicoUsd() == null || p.isEmpty() || !batchPriced(p.get()) ? Optional.empty()
          : Cost.picoUsd(new Usage(c.inputTokens(), c.cachedInputTokens(), c.cacheWriteTokens(), 0,
              c.outputTokens(), 0, false), p.get(), Tier.BATCH);
      if (atBatch.isPresent()) {
        cost += c.costPicoUsd();
        batch += atBatch.get();
        priced++;
      }
    }
    long saving = cost - batch;
    if (saving <= 0) {
      return List.of();
    }
    String hours = bursts.hours().stream().map(h -> String.format(Locale.ROOT, "%02d", h))
        .collect(Collectors.joining(", "));
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("calls", answered.size());
    evidence.put("streamed", streamed);
    evidence.put("multi_turn", multiTurn);
    evidence.put("bursts", bursts.count());
    evidence.put("in_bursts", bursts.calls());
    evidence.put("share_in_bursts", inBursts);
    evidence.put("hours_of_day_utc", List.copyOf(bursts.hours()));
    if (namedBy != null) {
      evidence.put("named_by", namedBy);
    }
    evidence.put("cost_pico_usd", cost);
    evidence.put("batch_pico_usd", batch);
    evidence.put("saving_pico_usd", saving);
    evidence.put("unpriced_calls", answered.size() - priced);
    evidence.put("calls_read", priced);

    ModelPrice m = main.get();
    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(count(answered.size()) + " answered calls, none streamed, none part of a conversation (one user turn each)");
    String burstLine = count(bursts.calls()) + " of them (" + Dollars.percent(inBursts) + ") arrive in "
        + count(bursts.count()) + (bursts.count() == 1 ? " burst" : " bursts") + " of " + BURST_CALLS
        + " or more calls each within " + BURST_GAP.toSeconds() + " s of the one before, at "
        + count(bursts.hours().size()) + (bursts.hours().size() == 1 ? " hour" : " hours") + " of the day"
        + (hours.isEmpty() ? "" : " (UTC " + hours + ")");
    arithmetic.add(job ? burstLine + ": a job, not users" : burstLine + "; the pattern's name says its calls can wait (\""
        + namedBy + "\")");
    arithmetic.add(count(priced) + " priced calls cost " + Dollars.of(cost) + "; at the batch prices of "
        + calls.mainModel() + " (" + perMillion(m.batchInput()) + " input, " + perMillion(m.batchOutput())
        + " output per 1M; cache reads and writes at half) " + Dollars.of(batch));
    arithmetic.add("saving " + Dollars.of(cost) + " − " + Dollars.of(batch) + " = " + Dollars.of(saving));
    arithmetic.add(CacheBatchText.monthly(calls, saving) + " (" + Dollars.of(calls.monthly(cost)) + " → "
        + Dollars.of(calls.monthly(batch)) + ")");
    String title = job
        ? Dollars.percent(inBursts) + " of calls come in bursts at " + bursts.hours().size()
            + (bursts.hours().size() == 1 ? " hour" : " hours") + " of the day: a job the batch API runs at half price"
        : "the pattern's name says its calls can wait (\"" + namedBy + "\"): the batch API runs them at half price";
    Recommendation r = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "defer",
        Map.of("max_delay", "24h"), false, "the gateway's batch lane is not built yet: send these calls through the"
            + " provider's batch API (OpenAI /v1/batches, Anthropic /v1/messages/batches) at half price");
    return List.of(new Finding(id(), calls.pattern(), title, calls.monthly(saving), arithmetic, evidence, r, null));
  }

  private static boolean batchPriced(ModelPrice p) {
    return p.batchInput() != null && p.batchOutput() != null;
  }

  /**
   * The runs of calls of at least {@link #BURST_CALLS}, each call within {@link #BURST_GAP} of the one
   * before, and the hours of the day (UTC) their calls fell in.
   */
  private record Bursts(int count, int calls, TreeSet<Integer> hours) {
    static Bursts of(long[] sortedMs) {
      int count = 0;
      int calls = 0;
      TreeSet<Integer> hours = new TreeSet<>();
      int start = 0;
      for (int i = 1; i <= sortedMs.length; i++) {
        if (i < sortedMs.length && sortedMs[i] - sortedMs[i - 1] <= BURST_GAP.toMillis()) {
          continue;
        }
        if (i - start >= BURST_CALLS) {
          count++;
          calls += i - start;
          for (int j = start; j < i; j++) {
            hours.add(Instant.ofEpochMilli(sortedMs[j]).atZone(ZoneOffset.UTC).getHour());
          }
        }
        start = i;
      }
      return new Bursts(count, calls, hours);
    }
  }
}
