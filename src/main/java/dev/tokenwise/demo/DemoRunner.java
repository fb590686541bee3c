package dev.tokenwise.demo;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.app.Gateway;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.AsyncLogWriter;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Runs the demo: the provider simulator, the gateway in front of it, a month of traffic from six call
 * patterns, the first {@link DemoSteps} step (the audit and what it applies to the config), the next
 * month through the changed config, and the measured bill of both months side by side. No key and no
 * network: everything runs on loopback, in simulated time ({@link DemoClock}).
 *
 * <p>The working folder is wiped first, and only a folder the demo made (or an empty one) is: it holds
 * {@code tokenwise.yaml} and the request log {@code tokenwise.db}, which stay afterwards for
 * {@code tokenwise audit} and friends.
 */
public final class DemoRunner {
  /** The folder the demo works in unless told otherwise. */
  public static final Path DEFAULT_FOLDER = Path.of("tokenwise-demo");
  /** The first replayed month starts here unless told otherwise (a Thursday, UTC). */
  public static final Instant DEFAULT_START = Instant.parse("2026-10-01T00:00:00Z");

  private static final String MARKER = ".tokenwise-demo";
  private static final Duration RELOAD_WAIT = Duration.ofSeconds(15);
  private static final Duration FLUSH_WAIT = Duration.ofSeconds(30);

  /**
   * How the demo runs.
   *
   * @param folder the working folder, wiped first (only when the demo made it, or it is empty)
   * @param seed what the traffic is drawn from
   * @param scale the share of the full traffic to send, above 0 and at most 1 (tests send less)
   * @param start when the first month starts, in simulated time
   * @param concurrency calls in flight at once
   * @param out where the progress bars and the bill go
   * @param live whether {@code out} is a console, where the progress bar redraws one line
   */
  public record Options(Path folder, long seed, double scale, Instant start, int concurrency, PrintStream out,
      boolean live) {

    public Options {
      if (!(scale > 0 && scale <= 1)) {
        throw new IllegalArgumentException("scale must be above 0 and at most 1, got " + scale);
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
    }

    /** The defaults: {@code ./tokenwise-demo}, seed 42, the full traffic, 8 calls at once, printing to {@code out}. */
    public static Options defaults(PrintStream out) {
      return new Options(DEFAULT_FOLDER, 42, 1.0, DEFAULT_START, 8, out, out == System.out && console());
    }

    /** These options with another working folder. */
    public Options folder(Path folder) {
      return new Options(folder, seed, scale, start, concurrency, out, live);
    }

    /** These options with another share of the full traffic. */
    public Options scale(double scale) {
      return new Options(folder, seed, scale, start, concurrency, out, live);
    }

    /** These options with the first month starting at another instant. */
    public Options start(Instant start) {
      return new Options(folder, seed, scale, start, concurrency, out, live);
    }

    /** These options with another seed. */
    public Options seed(long seed) {
      return new Options(folder, seed, scale, start, concurrency, out, live);
    }

    /** These options with the progress bar redrawn in place ({@code true}) or a line per tenth. */
    public Options live(boolean live) {
      return new Options(folder, seed, scale, start, concurrency, out, live);
    }
  }

  private DemoRunner() {}

  /**
   * Runs the demo and returns the measured bills; the working folder keeps the config and the log.
   *
   * @throws IllegalStateException when the folder cannot be used, or the config written by the first
   *     step is not put in force
   */
  public static DemoResult run(Options options, DemoSteps steps) {
    Path folder = options.folder().toAbsolutePath().normalize();
    prepare(folder);
    PrintStream out = options.out();
    DemoClock clock = new DemoClock(options.start());
    DemoTraffic first = DemoTraffic.month(options.seed(), options.start(), options.scale());
    DemoTraffic second = DemoTraffic.month(options.seed(), first.end(), options.scale());
    try (Simulator sim = Simulator.start(0, clock).recordCalls(false)) {
      Path configFile = folder.resolve("tokenwise.yaml");
      write(configFile, DemoConfig.yaml(folder, sim.baseUrl()));
      try (Gateway gateway = Gateway.start(ConfigLoader.load(configFile, Map.of()), clock, configFile, Map.of());
          ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
              .build()) {
        String url = "http://127.0.0.1:" + gateway.port();
        DemoContext ctx = new DemoContext(folder, configFile, gateway.store(), clock, url,
            new DemoContext.Month(first.start(), first.end()), new DemoContext.Month(second.start(), second.end()),
            out);
        Replay replay = new Replay(http, url, clock, options.concurrency());
        out.println("tokenwise demo: the provider simulator and the gateway on 127.0.0.1, in simulated time;"
            + " working folder " + folder);
        out.println(intro(first));
        Replay.Outcome one = month(replay, first, sim, gateway, "month 1", options);
        clock.advanceTo(second.start());
        FileTime before = modified(configFile);
        steps.afterFirstMonth(ctx);
        awaitReload(gateway, configFile, before);
        sim.reset();
        Replay.Outcome two = month(replay, second, sim, gateway, "month 2", options);
        clock.advanceTo(second.end());
        steps.afterSecondMonth(ctx);
        DemoResult result = result(folder, ctx, one, two);
        print(out, result);
        return result;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the demo was interrupted", e);
    }
  }

  /** Whether this process writes to a console, where a progress bar can redraw its line. */
  public static boolean console() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // Java 22+ has a console even when the output is redirected, and says whether it is a terminal.
      return (boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static Replay.Outcome month(Replay replay, DemoTraffic month, Simulator sim, Gateway gateway,
      String label, Options options) throws InterruptedException {
    month.script(sim);
    AsyncLogWriter writer = gateway.writer();
    long before = writer.written() + writer.failed() + writer.dropped();
    Progress progress = new Progress(options.out(), options.live(), label, month.calls().size(), replay.clock());
    Replay.Outcome outcome = replay.run(month, progress);
    // every call makes one row, offered just after its answer went out: a client can hold its answer before
    // the gateway has offered the row, so wait for the rows, not only for the queue
    long expected = before + outcome.calls();
    long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
    while (writer.written() + writer.failed() + writer.dropped() < expected && System.nanoTime() < deadline) {
      writer.flush(Duration.ofMillis(200));
      if (writer.written() + writer.failed() + writer.dropped() < expected) {
        Thread.sleep(10);
      }
    }
    long missing = expected - (writer.written() + writer.failed() + writer.dropped());
    if (missing > 0) {
      throw new IllegalStateException("the request log still had " + missing + " rows to write "
          + FLUSH_WAIT.toSeconds() + " s after " + label + "; see the log for why");
    }
    options.out().printf(Locale.ROOT, "%s: %,d calls in %.1f s; %,d still failed after the gateway's retries%n",
        label, outcome.calls(), outcome.wall().toMillis() / 1000.0, outcome.failed());
    return outcome;
  }

  /** What a month holds, pattern by pattern. */
  static String intro(DemoTraffic month) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "each month: %,d calls from %d patterns (",
        month.calls().size(), DemoTraffic.TAGS.size()));
    String sep = "";
    for (Map.Entry<String, Integer> e : month.callsPerTag().entrySet()) {
      sb.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()));
      sep = ", ";
    }
    return sb.append(')').toString();
  }

  /** Waits until the config file written by the first step is in force; nothing to wait for when it is unchanged. */
  private static void awaitReload(Gateway gateway, Path configFile, FileTime before) throws InterruptedException {
    FileTime now = modified(configFile);
    if (now.equals(before)) {
      return;
    }
    long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
    while (!now.equals(gateway.policiesInForce())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the gateway did not put " + configFile + " in force within "
            + RELOAD_WAIT.toSeconds() + " s of its change; its log names the problems of the file");
      }
      Thread.sleep(50);
      now = modified(configFile);
    }
  }

  private static DemoResult result(Path folder, DemoContext ctx, Replay.Outcome one, Replay.Outcome two) {
    Map<String, Bills.Sum> a = Bills.of(ctx.store(), ctx.firstMonth().start(), ctx.firstMonth().end());
    Map<String, Bills.Sum> b = Bills.of(ctx.store(), ctx.secondMonth().start(), ctx.secondMonth().end());
    List<String> tags = new ArrayList<>(DemoTraffic.TAGS);
    Stream.concat(a.keySet().stream(), b.keySet().stream()).distinct().sorted()
        .filter(t -> !tags.contains(t)).forEach(tags::add);
    List<DemoResult.Bill> bills = new ArrayList<>();
    Bills.Sum totalA = Bills.Sum.ZERO;
    Bills.Sum totalB = Bills.Sum.ZERO;
    for (String tag : tags) {
      Bills.Sum x = a.getOrDefault(tag, Bills.Sum.ZERO);
      Bills.Sum y = b.getOrDefault(tag, Bills.Sum.ZERO);
      bills.add(bill(tag, x, y));
      totalA = totalA.plus(x);
      totalB = totalB.plus(y);
    }
    return new DemoResult(folder, ctx.firstMonth(), ctx.secondMonth(), bills, bill("total", totalA, totalB),
        one.wall(), two.wall());
  }

  private static DemoResult.Bill bill(String tag, Bills.Sum a, Bills.Sum b) {
    return new DemoResult.Bill(tag, a.calls(), a.picoUsd(), a.unpriced(), b.calls(), b.picoUsd(), b.unpriced());
  }

  /** The two months side by side, per pattern, in USD to the cent (the exact figures are in the result). */
  static void print(PrintStream out, DemoResult r) {
    out.println();
    out.printf(Locale.ROOT, "%-18s %9s %12s %9s %12s %12s%n", "measured bill", "calls", "month 1", "calls",
        "month 2", "saved");
    List<DemoResult.Bill> rows = new ArrayList<>(r.patterns());
    rows.add(r.total());
    for (DemoResult.Bill b : rows) {
      if (b == r.total()) {
        out.println("-".repeat(77));
      }
      out.printf(Locale.ROOT, "%-18s %,9d %12s %,9d %12s %12s%n", b.pattern(), b.firstCalls(), usd(b.firstPicoUsd()),
          b.secondCalls(), usd(b.secondPicoUsd()), usd(b.firstPicoUsd() - b.secondPicoUsd()));
    }
    long unpriced = r.total().firstUnpriced() + r.total().secondUnpriced();
    if (unpriced > 0) {
      out.printf(Locale.ROOT, "%,d calls had no known price and are not in these sums%n", unpriced);
    }
  }

  private static String usd(long picoUsd) {
    String cents = Cost.toUsd(Math.abs(picoUsd)).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    return (picoUsd < 0 ? "-$" : "$") + cents;
  }

  /** Empties the folder when the demo made it (or it is empty), creating it when missing. */
  private static void prepare(Path folder) {
    try {
      if (Files.isDirectory(folder)) {
        boolean empty;
        try (Stream<Path> s = Files.list(folder)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty && !Files.exists(folder.resolve(MARKER))) {
          throw new IllegalStateException(folder + " exists and was not made by the demo; remove it or choose"
              + " another folder");
        }
        try (Stream<Path> s = Files.walk(folder)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(folder)) {
              Files.delete(p);
            }
          }
        }
      } else if (Files.exists(folder)) {
        throw new IllegalStateException(folder + " is a file, not a folder; choose another folder");
      }
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(MARKER), "made by tokenwise demo; the next run wipes this folder\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo folder " + folder, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the modification time of " + file, e);
    }
  }
}
