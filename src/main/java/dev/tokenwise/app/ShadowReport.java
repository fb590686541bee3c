package dev.tokenwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.Policies;
import dev.tokenwise.policy.Policy;
import dev.tokenwise.policy.ShadowSettings;
import dev.tokenwise.server.ShadowBudget;
import dev.tokenwise.server.ShadowTap;
import dev.tokenwise.store.ShadowSummary;
import dev.tokenwise.store.ShadowTable;
import dev.tokenwise.web.ShadowAdmin;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/** The shadow tests for the admin API: each shadow's pairs of the last 30 days, today's spend, its samples. */
final class ShadowReport implements ShadowAdmin {
  static final Duration PERIOD = Duration.ofDays(30);

  private final ShadowTable table;
  private final ShadowBudget budget;
  private final Supplier<Policies> policies;
  private final Supplier<ShadowTap> tap;
  private final Clock clock;

  ShadowReport(ShadowTable table, ShadowBudget budget, Supplier<Policies> policies, Supplier<ShadowTap> tap,
      Clock clock) {
    this.table = table;
    this.budget = budget;
    this.policies = policies;
    this.tap = tap;
    this.clock = clock;
  }

  private record Key(String pattern, String candidate) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = pattern.compareTo(o.pattern);
      return c != 0 ? c : candidate.compareTo(o.candidate);
    }
  }

  @Override
  public JsonNode report() {
    Instant now = clock.instant();
    Instant from = now.minus(PERIOD);
    Instant to = now.plusMillis(1); // the pairs of this very millisecond too
    Map<Key, ShadowSummary> summed = new TreeMap<>();
    table.summaries(from, to).forEach(s -> summed.put(new Key(s.pattern(), s.candidateModel()), s));
    Map<Key, ShadowTap.Counts> counted = new TreeMap<>();
    ShadowTap live = tap.get();
    if (live != null) {
      live.counts().forEach(c -> counted.put(new Key(c.pattern(), c.candidate()), c));
    }
    Policies in = policies.get();
    java.util.Set<Key> keys = new TreeSet<>(summed.keySet());
    keys.addAll(counted.keySet());
    for (Policy p : in.shadowing()) {
      String named = p.pattern() != null ? p.pattern() : p.tag();
      if (named != null && (p.tag() == null || p.tag().equals(named))) {
        keys.add(new Key(named, p.shadow().model()));
      }
    }
    ObjectNode root = Json.object();
    ObjectNode period = root.putObject("period");
    period.put("from", from.toString());
    period.put("to", now.toString());
    root.put("today", LocalDate.ofInstant(now, ZoneOffset.UTC).toString());
    root.put("in_flight", live == null ? 0 : live.inFlight());
    ArrayNode shadows = root.putArray("shadows");
    for (Key k : keys) {
      shadows.add(shadow(k, in.shadowOf(k.pattern(), k.candidate()), summed.get(k), counted.get(k)));
    }
    return root;
  }

  private ObjectNode shadow(Key k, ShadowSettings settings, ShadowSummary s, ShadowTap.Counts c) {
    ObjectNode o = Json.object();
    o.put("pattern", k.pattern());
    o.put("candidate_model", k.candidate());
    o.put("configured", settings != null);
    o.put("sample", settings == null ? null : settings.sample().toPlainString());
    o.put("scorer", settings == null ? null : settings.scorer() == null ? "auto" : settings.scorer());
    ObjectNode pairs = o.putObject("last_30_days");
    pairs.put("pairs", s == null ? 0 : s.pairs());
    pairs.put("scored", s == null ? 0 : s.scored());
    pairs.put("failed", s == null ? 0 : s.failed());
    pairs.put("passes", s == null ? 0 : s.passes());
    pairs.put("mean_score", s == null ? null : s.meanScore());
    pairs.put("pass_rate", s == null ? null : s.passRate());
    pairs.put("priced_pairs", s == null ? 0 : s.priced());
    money(pairs, "production_cost", s == null ? 0 : s.productionPicoUsd());
    money(pairs, "candidate_cost", s == null ? 0 : s.candidatePicoUsd());
    money(pairs, "spend", s == null ? 0 : s.spendPicoUsd());
    ObjectNode today = o.putObject("today");
    money(today, "spent", budget.spentToday(k.pattern(), k.candidate()));
    if (settings == null) {
      today.putNull("cap_usd");
      today.putNull("cap_pico_usd");
    } else {
      money(today, "cap", settings.budgetPicoUsdPerDay());
    }
    ObjectNode since = o.putObject("since_start");
    since.put("sampled", c == null ? 0 : c.sampled());
    since.put("copied", c == null ? 0 : c.copied());
    since.put("dropped", c == null ? 0 : c.dropped());
    since.put("skipped_budget", c == null ? 0 : c.skippedBudget());
    since.put("skipped_unpriced", c == null ? 0 : c.skippedUnpriced());
    since.put("skipped_key", c == null ? 0 : c.skippedKey());
    since.put("failed", c == null ? 0 : c.failed());
    return o;
  }

  private static void money(ObjectNode o, String name, long pico) {
    o.put(name + "_usd", Cost.usd(pico));
    o.put(name + "_pico_usd", pico);
  }
}
