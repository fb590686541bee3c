package dev.tokenwise.cli;

import dev.tokenwise.app.Evals;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.core.Json;
import dev.tokenwise.eval.EvalChart;
import dev.tokenwise.eval.EvalReport;
import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tokenwise eval}: a model sweep over a pattern's calls, its report, and the stored runs. */
final class EvalCommand {
  static final String HELP = """
      Usage: tokenwise eval --pattern P [--candidates m1,m2,…] [--sample 50] [--from-last 1000]
                            [--scorer exact|json|similarity|judge[:MODEL]] [--threshold 0.95]
                            [--budget-usd 5] [--set FILE] [--model M] [--format md|json] [--out DIR]
                            [--fresh] [--config FILE]
             tokenwise eval --resume ID | --show ID [--format md|json|svg] | --list

      Replays the pattern's calls on cheaper models, scores each answer against the production model's
      (or the set's expected output or rubric), and names the cheapest model whose pass rate reaches the
      bar, with its monthly saving at the pattern's volume. The calls go through the gateway's own
      dispatch (translation, retries, a bound per provider) and never into the request log; every answer
      is kept as it comes, so an interrupted sweep resumes without paying twice.
        --pattern P       the call pattern (its tag, or the fingerprint the audit shows)
        --candidates L    the models to try, comma-separated (default: up to 6 configured models cheaper
                          than the one in use that take what the pattern sends: tools, JSON, its length)
        --sample N        items in the set (default 50), drawn from --from-last N answered calls
                          (default 1000): exact repeats removed, spread over time
        --scorer S        exact (normalised text), json (field by field, partial credit), similarity
                          (embedding cosine, in process), judge[:MODEL] (a third model grades both
                          answers 1-5, in both orders); default: chosen from the reference answers
        --threshold T     the bar: the share of items a model must pass (default 0.95)
        --budget-usd B    the most the sweep may spend, grading included (default 5); the estimate is
                          printed first and a sweep above the budget is refused before any call
        --set FILE        your own set instead of the log: JSON lines with "input" (or "messages", or a
                          whole "request") and "expected" and/or "rubric"
        --model M         the model in use (default: the one the pattern's calls ran on)
        --format F        md (default) or json for the result; --show also takes svg (the scatter plot)
        --out DIR         also write DIR/<id>.md, .json and .svg
        --resume ID       carry on an interrupted or stopped sweep (a sweep with the same settings is
                          resumed by itself; --fresh starts a new one)
        --show ID         print a stored sweep's report again, recomputed from its rows
        --list            the stored sweeps, newest first
      Exit status: 0 when the sweep ran (whatever its verdict), 1 when it could not, 2 on bad usage or
      a sweep over its budget.
      """;

  static final java.util.Set<String> VALUED = java.util.Set.of("config", "pattern", "candidates", "sample",
      "from-last", "scorer", "threshold", "budget-usd", "set", "model", "format", "out", "resume", "show");
  static final java.util.Set<String> SWITCHES = java.util.Set.of("fresh", "list");

  private EvalCommand() {}

  static int run(Args a, PrintStream out, PrintStream err) {
    return run(a, System.getenv(), Clock.systemUTC(), Path.of("").toAbsolutePath(), out, err);
  }

  static int run(Args a, Map<String, String> env, Clock clock, Path workingDir, PrintStream out, PrintStream err) {
    Config config = ConfigLoader.resolve(a.option("config"), workingDir, env);
    String format = a.option("format") == null ? "md" : a.option("format").toLowerCase(Locale.ROOT);
    if (!List.of("md", "json", "svg").contains(format) || format.equals("svg") && a.option("show") == null) {
      throw new IllegalArgumentException("--format must be md or json (svg with --show), got '" + format + "'");
    }
    if (a.flag("list")) {
      try (LogStore store = LogStores.open(config.store().url())) {
        list(store.evals().runs(a.option("pattern"), 50), out);
      }
      return 0;
    }
    if (a.option("show") != null) {
      try (LogStore store = LogStores.open(config.store().url())) {
        var shown = Evals.show(store, a.option("show"));
        if (shown.isEmpty()) {
          err.println("tokenwise: no eval run " + a.option("show") + " in " + config.store().url());
          return 1;
        }
        print(shown.get(), format, out);
      }
      return 0;
    }
    if (a.option("pattern") == null && a.option("resume") == null) {
      throw new IllegalArgumentException("eval needs --pattern P (or --resume ID); see 'tokenwise eval --help'");
    }
    double threshold = decimal("--threshold", a.option("threshold"), "0.95").doubleValue();
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("--threshold is the share of items a model must pass, in (0, 1]; got "
          + a.option("threshold"));
    }
    BigDecimal budget = a.option("budget-usd") == null ? null : decimal("--budget-usd", a.option("budget-usd"), null);
    if (budget != null && budget.signum() <= 0) {
      throw new IllegalArgumentException("--budget-usd must be above 0, got " + a.option("budget-usd"));
    }
    List<String> candidates = a.option("candidates") == null ? List.of()
        : Arrays.stream(a.option("candidates").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    Path set = a.option("set") == null ? null : workingDir.resolve(a.option("set"));
    Evals.Options o = new Evals.Options(a.option("pattern"), candidates, count("--sample", a.option("sample"), 50),
        count("--from-last", a.option("from-last"), 1000), a.option("scorer"), threshold, budget, set,
        a.option("model"), a.option("resume"), a.flag("fresh"));
    boolean live = System.console() != null && !format.equals("json");
    PrintStream talk = format.equals("json") ? err : out;
    Evals.Outcome outcome;
    try {
      outcome = Evals.run(config, o, clock, env, new Evals.Out() {
        private Bar bar;

        @Override
        public void line(String text) {
          talk.println(text);
        }

        @Override
        public synchronized void progress(int done, int total, long spent) {
          if (bar == null) {
            bar = new Bar(talk, live, total);
          }
          bar.show(done, spent);
        }
      });
    } catch (Evals.OverBudget e) {
      err.println("tokenwise: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("tokenwise: interrupted; resume with tokenwise eval --resume");
      return 1;
    }
    talk.println();
    print(outcome, format, out);
    if (a.option("out") != null) {
      Path dir = workingDir.resolve(a.option("out"));
      String id = outcome.run().id();
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(id + ".md"), EvalReport.markdown(outcome.summary(), outcome.spec(), id + ".svg"),
            StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(id + ".json"), Json.pretty(EvalReport.json(outcome.summary(), outcome.spec())),
            StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(id + ".svg"), EvalChart.svg(outcome.summary()), StandardCharsets.UTF_8);
        talk.println("report: " + dir.resolve(id + ".md"));
      } catch (IOException e) {
        err.println("tokenwise: cannot write the report to " + dir + ": " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private static void print(Evals.Outcome o, String format, PrintStream out) {
    switch (format) {
      case "json" -> out.print(Json.pretty(EvalReport.json(o.summary(), o.spec())));
      case "svg" -> out.print(EvalChart.svg(o.summary()));
      default -> out.print(EvalReport.markdown(o.summary(), o.spec(), null));
    }
  }

  private static void list(List<EvalTable.Run> runs, PrintStream out) {
    if (runs.isEmpty()) {
      out.println("no eval runs yet; start one with tokenwise eval --pattern P");
      return;
    }
    for (EvalTable.Run r : runs) {
      var verdict = r.summary() == null ? null : Json.tryParse(r.summary().getBytes(StandardCharsets.UTF_8))
          .path("verdict");
      String v = verdict == null ? "" : verdict.path("model").isNull() ? "no verdict"
          : verdict.path("keep_current").asBoolean() ? "keep " + verdict.path("model").asText()
          : "switch to " + verdict.path("model").asText();
      out.println(r.id() + "  " + r.created() + "  " + r.pattern() + "  " + r.currentModel() + "  " + r.status()
          + (v.isEmpty() ? "" : "  " + v));
    }
  }

  private static int count(String option, String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number above 0, got '" + value + "'");
    }
  }

  private static BigDecimal decimal(String option, String value, String fallback) {
    String v = value == null ? fallback : value.strip().replaceFirst("^\\$", "");
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
    }
  }

  /** A one-line progress bar with the money spent so far; plain lines every 10 % when not on a terminal. */
  private static final class Bar {
    private final PrintStream out;
    private final boolean live;
    private final int total;
    private int lastTenth = -1;

    Bar(PrintStream out, boolean live, int total) {
      this.out = out;
      this.live = live;
      this.total = Math.max(1, total);
    }

    void show(int done, long spentPico) {
      int width = 30;
      int filled = (int) ((long) done * width / total);
      String line = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " calls, "
          + EvalReport.usd(spentPico) + " spent";
      if (live) {
        out.print("\r" + line);
        out.flush();
        return;
      }
      int tenth = (int) ((long) done * 10 / total);
      if (tenth != lastTenth) {
        lastTenth = tenth;
        out.println(line);
      }
    }
  }
}
