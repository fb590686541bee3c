import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends chat calls to the gateway at a fixed rate for a while and says how the clients fared: the
 * share that succeeded (2xx with a complete answer), what the others got, the latency, and the
 * upstream attempts the gateway reported for each call ({@code x-tokenwise-attempts}).
 *
 * <p>The load is open: call i is due at start + i / rate whatever happened to the calls before it, and
 * its latency counts from when it was due, as wrk2 measures, so a gateway that slows down cannot hide
 * it by slowing the sender. The calls cycle through four kinds drawn from a seeded generator: OpenAI
 * whole and streamed to {@code gpt-4o-mini}, Anthropic whole and streamed to {@code claude-haiku-4-5},
 * each with {@code x-tokenwise-tag: soak}.
 *
 * <p>Run by bench/soak.sh with the gateway's jar on the class path (for Jackson). Arguments: gateway
 * base URL, calls per second, seconds, warm-up seconds, seed, per-call timeout in seconds, a CSV path
 * for one line per call (or "-"), and a folder for the hand-over with the script: after the warm-up
 * (whose calls are not counted) the driver creates {@code warm} there and waits for {@code go}. The
 * last line of the output is {@code #soak key=value ...} for the script.
 */
public final class SoakDriver {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OK = "ok";

  enum Kind {
    OPENAI_WHOLE("openai whole"), OPENAI_STREAM("openai stream"),
    ANTHROPIC_WHOLE("anthropic whole"), ANTHROPIC_STREAM("anthropic stream");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    boolean anthropic() {
      return this == ANTHROPIC_WHOLE || this == ANTHROPIC_STREAM;
    }

    boolean stream() {
      return this == OPENAI_STREAM || this == ANTHROPIC_STREAM;
    }
  }

  /**
   * One call's fate. {@code attempts} is -1 when the answer had no {@code x-tokenwise-attempts}
   * header; {@code lateNanos} is how much after its due time the driver sent it.
   */
  record Result(int index, Kind kind, String outcome, int status, int attempts, String provider,
      long latencyNanos, long lateNanos) {
    boolean ok() {
      return outcome.equals(OK);
    }
  }

  public static void main(String[] args) throws Exception {
    String gw = args[0];
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int warmupSeconds = Integer.parseInt(args[3]);
    long seed = Long.parseLong(args[4]);
    Duration timeout = Duration.ofSeconds(Long.parseLong(args[5]));
    String csv = args[6];
    Path sync = Path.of(args[7]);

    // The warm-up runs in this JVM too, so that the measured calls meet a warm driver as well as a
    // warm gateway; then the script takes its "start" figures while nothing is in flight.
    if (warmupSeconds > 0) {
      Phase warm = run(gw, rate, warmupSeconds, seed ^ 0x5eed, timeout, "warm-up");
      long ok = warm.results.stream().filter(Result::ok).count();
      System.err.printf(Locale.ROOT, "[soak %s] warm-up: %d calls, %s ok%n", now(), warm.results.size(),
          pct(ok, warm.due));
    }
    Files.writeString(sync.resolve("warm"), "");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(sync.resolve("go"))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no go from the script within 5 minutes");
      }
      Thread.sleep(50);
    }
    Phase measured = run(gw, rate, seconds, seed, timeout, "run");
    List<Result> all = new ArrayList<>(measured.results);
    all.sort((a, b) -> Integer.compare(a.index(), b.index()));
    if (!csv.equals("-")) {
      writeCsv(Path.of(csv), all);
    }
    report(all, measured, rate, seconds);
  }

  /** The calls of one phase and whether they all finished in time. */
  record Phase(List<Result> results, int due, double spanSeconds, boolean drained) {}

  static Phase run(String gw, double rate, int seconds, long seed, Duration timeout, String label)
      throws InterruptedException {
    int total = (int) Math.round(rate * seconds);
    Random pick = new Random(seed);
    Kind[] kinds = new Kind[total];
    for (int i = 0; i < total; i++) {
      kinds[i] = Kind.values()[pick.nextInt(Kind.values().length)];
    }
    ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger okSoFar = new AtomicInteger();
    // A client per phase, shut down at its end: its connections close, so the gateway is at rest
    // (no idle keep-alive connections and their threads) when the script takes its figures.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime() + 100_000_000L;
    long nextReport = start + 10_000_000_000L;
    for (int i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      int index = i;
      Kind kind = kinds[i];
      Thread.ofVirtual().name("soak-" + i).start(() -> {
        Result r = call(http, gw, index, kind, due, timeout);
        results.add(r);
        if (r.ok()) {
          okSoFar.incrementAndGet();
        }
        done.countDown();
      });
      if (System.nanoTime() >= nextReport) {
        nextReport += 10_000_000_000L;
        int finished = total - (int) done.getCount();
        System.err.printf(Locale.ROOT, "[soak %s] %s: %d/%d sent, %d done, %s ok, %d in flight%n",
            now(), label, i + 1, total, finished, pct(okSoFar.get(), finished), i + 1 - finished);
      }
    }
    double span = (total - 1) * intervalNanos / 1e9;
    boolean drained = done.await(timeout.toSeconds() + 15, TimeUnit.SECONDS);
    http.shutdownNow();
    http.awaitTermination(Duration.ofSeconds(10));
    return new Phase(List.copyOf(results), total, span, drained);
  }

  static LocalTime now() {
    return LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
  }

  static Result call(HttpClient http, String gw, int index, Kind kind, long due, Duration timeout) {
    HttpRequest req = request(gw, index, kind, timeout);
    long late = System.nanoTime() - due;
    String outcome;
    int status = 0;
    int attempts = -1;
    String provider = null;
    var future = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> res = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      status = res.statusCode();
      attempts = res.headers().firstValue("x-tokenwise-attempts").map(SoakDriver::integer).orElse(-1);
      provider = res.headers().firstValue("x-tokenwise-provider").orElse(null);
      outcome = judge(kind, res);
    } catch (TimeoutException e) {
      future.cancel(true);
      outcome = "client timeout after " + timeout.toSeconds() + " s";
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      outcome = c instanceof HttpTimeoutException ? "client timeout after " + timeout.toSeconds() + " s"
          : c instanceof IOException ? "connection failed (" + c.getClass().getSimpleName() + ")"
          : "client error (" + c + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    }
    return new Result(index, kind, outcome, status, attempts, provider, System.nanoTime() - due, late);
  }

  static HttpRequest request(String gw, int index, Kind kind, Duration timeout) {
    String question = "Soak question " + index + ": summarise the ticket about invoice " + (index * 7919 % 100000)
        + " in one sentence.";
    HttpRequest.Builder b;
    String body;
    if (kind.anthropic()) {
      b = HttpRequest.newBuilder(URI.create(gw + "/v1/messages"))
          .header("x-api-key", "sk-soak").header("anthropic-version", "2023-06-01");
      body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,\"stream\":" + kind.stream()
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    } else {
      b = HttpRequest.newBuilder(URI.create(gw + "/v1/chat/completions"))
          .header("authorization", "Bearer sk-soak");
      body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":64,\"stream\":" + kind.stream()
          + (kind.stream() ? ",\"stream_options\":{\"include_usage\":true}" : "")
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }
    return b.header("content-type", "application/json").header("x-tokenwise-tag", "soak")
        .timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** "ok" for a 2xx with a complete answer of the dialect; else what went wrong, with the error's code. */
  static String judge(Kind kind, HttpResponse<String> res) {
    int status = res.statusCode();
    if (status < 200 || status > 299) {
      return "http " + status + " " + errorCode(parse(res.body()));
    }
    if (!kind.stream()) {
      JsonNode n = parse(res.body());
      if (n == null) {
        return "200 whose body is not JSON";
      }
      boolean complete = kind.anthropic()
          ? "message".equals(n.path("type").asText()) && n.path("stop_reason").isTextual()
          : n.path("choices").path(0).path("message").isObject()
              && n.path("choices").path(0).path("finish_reason").isTextual();
      return complete ? OK : "200 whose JSON is not a complete answer";
    }
    return kind.anthropic() ? judgeAnthropicStream(res.body()) : judgeOpenAiStream(res.body());
  }

  static String judgeOpenAiStream(String body) {
    boolean finished = false;
    boolean doneSeen = false;
    for (String line : body.split("\n")) {
      if (!line.startsWith("data:")) {
        continue;
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        doneSeen = true;
        continue;
      }
      JsonNode n = parse(data);
      if (n == null) {
        return "stream with data that is not JSON";
      }
      if (n.has("error")) {
        return "stream error " + errorCode(n);
      }
      finished |= n.path("choices").path(0).path("finish_reason").isTextual();
    }
    return doneSeen && finished ? OK : "stream without [DONE]";
  }

  static String judgeAnthropicStream(String body) {
    String lastEvent = null;
    for (String line : body.split("\n")) {
      if (line.startsWith("event:")) {
        lastEvent = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        JsonNode n = parse(line.substring(5).strip());
        if (n == null) {
          return "stream with data that is not JSON";
        }
        if ("error".equals(lastEvent) || "error".equals(n.path("type").asText())) {
          return "stream error " + errorCode(n);
        }
      }
    }
    return "message_stop".equals(lastEvent) ? OK : "stream without message_stop";
  }

  /** The error's code (OpenAI) or type (Anthropic), or a word for a body that has neither. */
  static String errorCode(JsonNode n) {
    if (n == null) {
      return "(body not JSON)";
    }
    JsonNode e = n.path("error");
    if (e.path("code").isTextual()) {
      return e.get("code").asText();
    }
    return e.path("type").isTextual() ? e.get("type").asText() : "(no error code)";
  }

  static JsonNode parse(String s) {
    try {
      JsonNode n = JSON.readTree(s);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static int integer(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static void writeCsv(Path path, List<Result> all) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(path))) {
      w.println("index,kind,outcome,status,attempts,latency_ms,late_ms");
      for (Result r : all) {
        w.printf(Locale.ROOT, "%d,%s,\"%s\",%d,%d,%.3f,%.3f%n", r.index(), r.kind().label, r.outcome(),
            r.status(), r.attempts(), r.latencyNanos() / 1e6, r.lateNanos() / 1e6);
      }
    }
  }

  static void report(List<Result> all, Phase phase, double rate, int seconds) {
    int n = all.size();
    int due = phase.due();
    boolean drained = phase.drained();
    long ok = all.stream().filter(Result::ok).count();
    System.out.printf(Locale.ROOT, "client calls: %d due at %s/s over %d s (sent over %.1f s), %d answered%s%n",
        due, trim(rate), seconds, phase.spanSeconds(), n, drained ? "" : " (NOT ALL FINISHED within the timeout)");
    System.out.printf(Locale.ROOT, "success (2xx with a complete answer): %d of %d = %s%n", ok, due, pct(ok, due));
    StringBuilder byKind = new StringBuilder("  by kind:");
    for (Kind k : Kind.values()) {
      long calls = all.stream().filter(r -> r.kind() == k).count();
      long good = all.stream().filter(r -> r.kind() == k && r.ok()).count();
      byKind.append(String.format(Locale.ROOT, "  %s %s of %d", k.label, pct(good, calls), calls));
    }
    System.out.println(byKind);
    Map<String, Integer> providers = new TreeMap<>();
    all.stream().filter(Result::ok).forEach(r -> providers.merge(String.valueOf(r.provider()), 1, Integer::sum));
    System.out.println("  successful calls by provider that answered (x-tokenwise-provider): " + providers);
    Map<String, Integer> errors = new TreeMap<>();
    all.stream().filter(r -> !r.ok()).forEach(r -> errors.merge(r.outcome(), 1, Integer::sum));
    System.out.println("errors seen by clients" + (errors.isEmpty() ? ": none" : " (share of all calls):"));
    errors.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e ->
        System.out.printf(Locale.ROOT, "  %6d  %7s  %s%n", e.getValue(), pct(e.getValue(), due), e.getKey()));

    long[] lat = all.stream().mapToLong(Result::latencyNanos).sorted().toArray();
    long[] okLat = all.stream().filter(Result::ok).mapToLong(Result::latencyNanos).sorted().toArray();
    System.out.printf(Locale.ROOT, "latency from when each call was due, all calls: p50 %s  p90 %s  p99 %s  max %s%n",
        ms(lat, 0.50), ms(lat, 0.90), ms(lat, 0.99), ms(lat, 1.0));
    System.out.printf(Locale.ROOT, "latency of the successful calls:                p50 %s  p90 %s  p99 %s  max %s%n",
        ms(okLat, 0.50), ms(okLat, 0.90), ms(okLat, 0.99), ms(okLat, 1.0));
    long[] late = all.stream().mapToLong(Result::lateNanos).sorted().toArray();
    System.out.printf(Locale.ROOT, "sender lateness (driver health): p99 %s  max %s%n", ms(late, 0.99), ms(late, 1.0));

    int[] attempts = all.stream().mapToInt(Result::attempts).filter(a -> a >= 0).toArray();
    Map<Integer, Integer> spread = new TreeMap<>();
    for (int a : attempts) {
      spread.merge(a, 1, Integer::sum);
    }
    double mean = Arrays.stream(attempts).average().orElse(Double.NaN);
    int max = Arrays.stream(attempts).max().orElse(-1);
    long sum = Arrays.stream(attempts).asLongStream().sum();
    System.out.printf(Locale.ROOT, "upstream attempts per call (x-tokenwise-attempts): mean %.3f  max %d  calls by attempts %s;"
        + " %d calls without the header%n", mean, max, spread, n - attempts.length);
    System.out.printf(Locale.ROOT, "#soak calls=%d answered=%d ok=%d attempts_sum=%d attempts_max=%d with_attempts=%d"
        + " p50_ms=%s p99_ms=%s drained=%s%n", due, n, ok, sum, max, attempts.length,
        ms(lat, 0.50).replace(" ms", ""), ms(lat, 0.99).replace(" ms", ""), drained);
  }

  static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  static String pct(long part, long whole) {
    return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100.0 * part / whole);
  }

  static String ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "n/a";
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return String.format(Locale.ROOT, "%.1f ms", sorted[i] / 1e6);
  }
}
