package dev.tokenwise.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import dev.tokenwise.eval.Candidates;
import dev.tokenwise.eval.Caller;
import dev.tokenwise.eval.Estimate;
import dev.tokenwise.eval.EvalReport;
import dev.tokenwise.eval.EvalSets;
import dev.tokenwise.eval.EvalSpec;
import dev.tokenwise.eval.EvalSummary;
import dev.tokenwise.eval.ModelClient;
import dev.tokenwise.eval.Scorer;
import dev.tokenwise.eval.Scorers;
import dev.tokenwise.eval.Sweep;
import dev.tokenwise.server.InternalCalls;
import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model-eval sweep from a config: a gateway of its own on loopback (the same providers, retries and
 * prices as {@code serve}, calling itself with {@link InternalCalls} so that no policy, guard or request-log
 * row touches the sweep), the set drawn from the log or read from a file, the estimate checked against the
 * budget before any call, the sweep, and its stored summary.
 */
public final class Evals {
  /** A sweep's spend limit when none is given. */
  public static final BigDecimal DEFAULT_BUDGET_USD = new BigDecimal("5");
  /** How long one call may take, retries included. */
  static final Duration CALL_TIMEOUT = Duration.ofMinutes(3);

  private Evals() {}

  /**
   * What the command asked for.
   *
   * @param candidates the models to try, or empty for the default choice
   * @param scorer the scorer, or null to choose one from the references
   * @param budgetUsd the most the sweep may spend, or null for the stored run's (resuming) or the default
   * @param set a set file, or null to draw the set from the log
   * @param model the model in use, or null to read it from the log
   * @param resume a run id to resume, or null
   * @param fresh start a new run even when an unfinished one has the same settings
   */
  public record Options(String pattern, List<String> candidates, int sample, int fromLast, String scorer,
      double threshold, BigDecimal budgetUsd, Path set, String model, String resume, boolean fresh) {}

  /** Where the sweep tells what it does. */
  public interface Out {
    void line(String text);

    void progress(int done, int total, long spentPicoUsd);
  }

  /** A sweep that would cost more than its budget, refused before any call. */
  public static final class OverBudget extends RuntimeException {
    OverBudget(String message) {
      super(message);
    }
  }

  /** The run and its figures. */
  public record Outcome(EvalTable.Run run, EvalSpec spec, EvalSummary summary) {}

  /** Runs (or resumes) a sweep and returns its stored figures. */
  public static Outcome run(Config config, Options o, Clock clock, Map<String, String> env, Out out)
      throws InterruptedException {
    try (Gateway g = Gateway.start(forSweeps(config), clock)) {
      LogStore store = g.store();
      EvalTable table = store.evals();
      PriceTable prices = PriceTable.bundled().withOverrides(config.prices());
      Instant now = clock.instant();
      InternalCalls calls = g.internalCalls();
      Caller caller = (dialect, model, body) -> {
        InternalCalls.Reply r = calls.chat(dialect, SweepModels.providerOf(model), body,
            SweepModels.keyFor(config, env, model), CALL_TIMEOUT);
        return new Caller.Reply(r.status(), r.body(), r.costPicoUsd(), r.latencyMillis(), r.error());
      };
      ModelClient judgeClient = (model, openAiBody) -> judge(caller, model, openAiBody);
      EvalTable.Run run;
      List<EvalTable.Item> items;
      boolean fresh = false;
      if (o.resume() != null) {
        run = table.run(o.resume()).orElseThrow(() -> new IllegalArgumentException("no eval run " + o.resume()
            + " in " + config.store().url() + "; tokenwise eval --list shows the runs"));
        items = table.items(run.id());
        out.line("resuming " + run.id() + " (pattern " + run.pattern() + ")");
      } else {
        Prepared p = prepare(config, store, prices, o, now, env);
        run = null;
        items = null;
        if (!o.fresh()) {
          for (EvalTable.Run r : table.runs(o.pattern(), 10)) {
            if (!r.status().equals("done") && EvalSpec.parse(r.spec()).sameSweep(p.spec())) {
              run = r;
              items = table.items(r.id());
              out.line("resuming " + r.id() + ", an unfinished sweep with the same settings (--fresh starts anew)");
              break;
            }
          }
        }
        if (run == null) {
          // a scorer that does not exist is refused before the run is kept
          Scorers.parse(p.spec().scorer(), SweepModels.defaultJudge(config, env, p.spec().models().get(0)),
              judgeClient, MiniLmEmbedder::new);
          out.line(p.drawn());
          run = new EvalTable.Run(p.id(), o.pattern(), now, now, "running", p.spec().models().get(0),
              p.spec().toJson(), 0, p.spec().budgetPicoUsd(), null);
          items = p.items();
          fresh = true;
        }
      }
      EvalSpec spec = EvalSpec.parse(run.spec());
      long budget = o.budgetUsd() != null ? pico(o.budgetUsd()) : run.budgetPicoUsd();
      run = new EvalTable.Run(run.id(), run.pattern(), run.created(), now, "running", run.currentModel(), run.spec(),
          run.estimatePicoUsd(), budget, run.summary());

      String judge = SweepModels.defaultJudge(config, env, spec.models().get(0));
      Scorer scorer = Scorers.parse(spec.scorer(), judge, judgeClient, MiniLmEmbedder::new);
      String judgeModel = scorer.name().startsWith("judge:") ? scorer.name().substring(6) : null;

      Set<String> done = new HashSet<>();
      long spent = 0;
      for (EvalTable.Result r : table.results(run.id())) {
        if (r.status() == 200) {
          done.add(r.no() + "/" + r.model());
        }
        spent += (r.costPicoUsd() == null ? 0 : r.costPicoUsd()) + r.judgeCostPicoUsd();
      }
      Map<String, Long> estimates = Estimate.of(items, spec.models(), done, m -> SweepModels.priceOf(prices, m),
          judgeModel);
      long remaining = estimates.values().stream().mapToLong(Long::longValue).sum();
      out.line(estimateLines(items.size(), spec, Estimate.perModel(estimates, spec.models()), remaining, spent,
          budget, judgeModel));
      if (spent + remaining > budget) {
        throw new OverBudget("the sweep would cost about " + EvalReport.usd(spent + remaining) + " ("
            + EvalReport.usd(spent) + " spent, " + EvalReport.usd(remaining) + " to go), above its budget of "
            + EvalReport.usd(budget) + "; raise --budget-usd, lower --sample or name fewer --candidates");
      }
      if (fresh) {
        table.create(run, items); // kept once the estimate is within the budget
      }
      EvalTable.Run started = run;
      table.finish(run.id(), "running", null, now);
      Thread hook = Thread.ofPlatform().unstarted(() -> table.finish(started.id(), "interrupted", null,
          clock.instant()));
      Runtime.getRuntime().addShutdownHook(hook);
      String status;
      try {
        status = new Sweep(table, caller, scorer, clock, out::progress).run(run, spec.models(), items, estimates);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook marks the run interrupted
        }
      }
      EvalTable.Run ended = table.run(run.id()).orElseThrow();
      ended = new EvalTable.Run(ended.id(), ended.pattern(), ended.created(), ended.updated(), status,
          ended.currentModel(), ended.spec(), ended.estimatePicoUsd(), ended.budgetPicoUsd(), ended.summary());
      EvalSummary summary = EvalSpec.summary(table, ended);
      table.finish(run.id(), status, Json.string(EvalReport.json(summary, spec)), clock.instant());
      return new Outcome(table.run(run.id()).orElseThrow(), spec, summary);
    }
  }

  /** A stored run's figures, recomputed from its rows. */
  public static Optional<Outcome> show(LogStore store, String id) {
    return store.evals().run(id).map(r -> new Outcome(r, EvalSpec.parse(r.spec()), EvalSpec.summary(store.evals(), r)));
  }

  /** What a new sweep needs before it runs: its id, set and settings. */
  private record Prepared(String id, List<EvalTable.Item> items, EvalSpec spec, String drawn) {}

  private static Prepared prepare(Config config, LogStore store, PriceTable prices, Options o, Instant now,
      Map<String, String> env) {
    List<RequestRecord> rows = store.recentAnswered(o.pattern(), o.fromLast());
    String current = o.model() != null ? o.model() : SweepModels.inUse(rows, prices);
    if (current == null) {
      throw new IllegalArgumentException("the log has no answered calls of pattern " + o.pattern()
          + "; check the name (tokenwise audit lists the patterns), or give the model in use with --model and a set"
          + " with --set FILE");
    }
    String id = "ev-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(now) + "-" + Long.toHexString(new java.security.SecureRandom()
        .nextInt(0x1000, 0x10000));
    List<EvalTable.Item> items;
    String drawn;
    String source;
    if (o.set() != null) {
      items = EvalSets.fromFile(id, o.set(), current, now);
      source = "set " + o.set().getFileName();
      drawn = "set: " + items.size() + " items from " + o.set();
    } else {
      EvalSets.Drawn d = EvalSets.fromLog(id, rows, o.sample());
      items = d.items();
      source = "log: the newest " + o.fromLast() + " answered calls";
      drawn = "set: " + items.size() + " items from the newest " + d.read() + " answered calls of " + o.pattern()
          + " (" + d.repeats() + " exact repeats and " + d.unusable() + " calls without stored bodies left out)";
      if (items.isEmpty()) {
        throw new IllegalArgumentException("none of the " + rows.size() + " answered calls of " + o.pattern()
            + " has its bodies in the log (log.store_bodies is off, or they are past log.retention);"
            + " give a set with --set FILE");
      }
    }
    List<String> models = new ArrayList<>();
    models.add(current);
    if (o.candidates().isEmpty()) {
      Dialect dialect = Dialect.fromId(items.get(0).dialect());
      boolean tools = false;
      boolean json = false;
      boolean classic = false;
      long longest = 0;
      long in = 0;
      long outTokens = 0;
      for (EvalTable.Item it : items) {
        var body = Json.tryParse(it.requestBody().getBytes(StandardCharsets.UTF_8));
        tools |= body.path("tools").isArray() && !body.path("tools").isEmpty();
        String type = body.path("response_format").path("type").asText("");
        json |= type.startsWith("json") || dialect == Dialect.ANTHROPIC && body.has("output_format");
        classic |= dialect == Dialect.OPENAI && body.has("max_tokens")
            || body.has("temperature") && body.path("temperature").asDouble() != 1.0;
        longest = Math.max(longest, it.refInputTokens());
        in += it.refInputTokens();
        outTokens += it.refOutputTokens();
      }
      Usage perCall = new Usage(in / items.size(), 0, 0, 0, Math.max(1, outTokens / items.size()), 0, true);
      for (Candidates.Candidate c : Candidates.choose(prices, SweepModels.reachable(config, env),
          SweepModels.providerOf(current), SweepModels.bare(current), perCall,
          new Candidates.Needs(tools, json, longest, classic), Candidates.DEFAULT_MAX)) {
        models.add(c.name());
      }
      if (models.size() == 1) {
        throw new IllegalArgumentException("no configured model is cheaper than " + current + " on this pattern's"
            + " calls and able to take them; name candidates with --candidates m1,m2");
      }
    } else {
      o.candidates().stream().filter(m -> !models.contains(m)).forEach(models::add);
    }
    List<String> references = items.stream().map(EvalTable.Item::reference).filter(r -> r != null).toList();
    String scorer = o.scorer() != null ? o.scorer()
        : references.size() < items.size() ? "judge" : Scorers.suggest(references);
    long monthly = monthlyCalls(store, o.pattern(), now);
    EvalSpec spec = new EvalSpec(o.pattern(), List.copyOf(models), scorer, o.threshold(), o.sample(), o.fromLast(),
        pico(o.budgetUsd() == null ? DEFAULT_BUDGET_USD : o.budgetUsd()), source, monthly);
    return new Prepared(id, items, spec, drawn);
  }

  private static long monthlyCalls(LogStore store, String pattern, Instant now) {
    return store.spendGroups(now.minus(Duration.ofDays(30)), now).stream().filter(g -> pattern.equals(g.pattern()))
        .mapToLong(dev.tokenwise.store.SpendGroup::calls).sum();
  }

  /** A judge's call: the OpenAI body through the gateway, the text of its answer. */
  private static ModelClient.Reply judge(Caller caller, String model, ObjectNode body) {
    body.put("model", model);
    try {
      Caller.Reply r = caller.call(Dialect.OPENAI, model, Json.bytes(body));
      return ModelClient.Reply.ofOpenAiAnswer(r.status(), r.body(), r.costPicoUsd(), r.latencyMillis(), r.error());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ModelClient.Reply(0, null, 0, 0, "interrupted");
    }
  }

  /** The config a sweep's own gateway runs with: loopback, a free port, no policies, no guard. */
  private static Config forSweeps(Config c) {
    return new Config(new Config.Server("127.0.0.1", 0, c.server().maxBodyBytes(), c.server().shutdownGrace()),
        c.store(), c.redis(), c.providers(), c.models(), c.prices(), c.auth(), c.retry(), Config.Guard.NONE, c.log(),
        c.cache(), List.of());
  }

  private static String estimateLines(int items, EvalSpec spec, Map<String, Long> perModel, long remaining,
      long spent, long budget, String judge) {
    StringBuilder b = new StringBuilder("estimate: " + items + " items × " + spec.models().size() + " models"
        + (judge == null ? "" : ", graded by " + judge + " (two calls an answer)") + ", scorer " + spec.scorer() + "\n");
    perModel.forEach((m, p) -> b.append("  ").append(m).append(m.equals(spec.models().get(0)) ? " (in use)" : "")
        .append(": ").append(EvalReport.usd(p)).append('\n'));
    b.append("  in all about ").append(EvalReport.usd(remaining)).append(spent > 0 ?  " more (" + EvalReport.usd(spent)
        + " already spent)" : "").append("; budget ").append(EvalReport.usd(budget));
    return b.toString();
  }

  private static long pico(BigDecimal usd) {
    return usd.movePointRight(12).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }
}
