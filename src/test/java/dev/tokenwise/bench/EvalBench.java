package dev.tokenwise.bench;

import dev.tokenwise.app.Evals;
import dev.tokenwise.app.Gateway;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Json;
import dev.tokenwise.eval.EvalSummary;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.EvalTable;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A sweep of SAMPLE items × 6 candidates (and the model in use) against the simulator: SAMPLE × 2 production
 * calls of one pattern go through a gateway first, then {@code Evals.run} sweeps them with the exact scorer.
 * Prints the sweep's wall time and, per call, the latency the sweep measured through the gateway's own
 * dispatch against the same requests sent straight to the simulator with the same concurrency: the
 * difference is what the gateway adds to a call. Run by {@code bench/eval.sh}; args: {@code DIR SAMPLE}.
 */
public final class EvalBench {
  private static final List<String> CANDIDATES = List.of("gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5-mini",
      "gpt-5-nano", "claude-haiku-4-5");

  private EvalBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int sample = Integer.parseInt(args[1]);
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("eval-bench.db"));
    try (Simulator sim = Simulator.start(0).recordCalls(false)) {
      Config config = config(sim, dir);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<String> bodies = new ArrayList<>();
      try (Gateway g = Gateway.start(config)) {
        for (int i = 0; i < sample * 2; i++) {
          String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Sort the ticket into "
              + "billing, delivery, account or other.\"},{\"role\":\"user\",\"content\":\"Ticket " + i + ": my order "
              + (1000 + i) + " has not arrived and I was charged twice\"}]}";
          bodies.add(body);
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
                  + "/v1/chat/completions")).header("authorization", "Bearer sk-bench")
              .header("x-tokenwise-tag", "classify").header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("production call failed: " + r.body());
          }
        }
        g.writer().flush(Duration.ofSeconds(10));
      }
      Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-bench", "ANTHROPIC_API_KEY", "sk-bench");
      long start = System.nanoTime();
      Evals.Outcome o = Evals.run(config, new Evals.Options("classify", CANDIDATES, sample, 1000, "exact", 0.95,
          new BigDecimal("10"), null, null, null, true), Clock.systemUTC(), env, new Quiet());
      double wall = (System.nanoTime() - start) / 1e9;
      EvalSummary s = o.summary();
      List<Long> viaGateway = new ArrayList<>();
      try (var store = dev.tokenwise.store.LogStores.open(config.store().url())) {
        for (EvalTable.Result r : store.evals().results(o.run().id())) {
          viaGateway.add(r.latencyMillis());
        }
      }
      int calls = viaGateway.size();
      System.out.printf(Locale.ROOT, "sweep: %d items × %d models = %d calls in %.2f s (%.0f calls/s), status %s,"
          + " verdict %s%n", s.items(), s.models().size(), calls, wall, calls / wall, s.status(),
          s.verdict().model());
      for (EvalSummary.ModelFigures m : s.models()) {
        System.out.printf(Locale.ROOT, "  %-18s pass %5.1f %%  p50 %4d ms  p95 %4d ms%n", m.model(),
            m.passRate() * 100, m.latencyP50Millis(), m.latencyP95Millis());
      }
      List<Long> direct = direct(http, sim, bodies.subList(0, Math.min(bodies.size(), sample)), s.models().size());
      System.out.printf(Locale.ROOT, "per call, through the gateway's dispatch: mean %.2f ms, p50 %d ms, p95 %d ms%n",
          mean(viaGateway), pct(viaGateway, 0.5), pct(viaGateway, 0.95));
      System.out.printf(Locale.ROOT, "per call, straight to the simulator:      mean %.2f ms, p50 %d ms, p95 %d ms%n",
          mean(direct), pct(direct, 0.5), pct(direct, 0.95));
      System.out.printf(Locale.ROOT, "gateway overhead per call, %d in flight as the sweep runs them: %.2f ms at the mean%n",
          16, mean(viaGateway) - mean(direct));
      sequential(config, http, sim, bodies.subList(0, Math.min(bodies.size(), sample)));
    }
  }

  /**
   * One call at a time, the same request through the gateway's own dispatch and straight to the simulator
   * by turns (so that both see the same noise), 4 rounds over the set: the gateway's overhead without
   * the queueing that 16 calls in flight on a small machine add.
   */
  private static void sequential(Config config, HttpClient http, Simulator sim, List<String> bodies) throws Exception {
    List<Double> via = new ArrayList<>();
    List<Double> straight = new ArrayList<>();
    try (Gateway g = Gateway.start(new Config(config.server(), config.store(), null, config.providers(), Map.of(),
        List.of(), config.auth(), config.retry(), config.guard(), config.log(), config.cache(), List.of()))) {
      for (int round = 0; round < 5; round++) {
        for (String body : bodies) {
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          long t = System.nanoTime();
          var r = g.internalCalls().chat(dev.tokenwise.core.Dialect.OPENAI, "openai", b,
              Map.of("authorization", "Bearer sk-bench"), Duration.ofSeconds(30));
          double v = (System.nanoTime() - t) / 1e6;
          t = System.nanoTime();
          http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
              .header("authorization", "Bearer sk-bench").header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofByteArray());
          double d = (System.nanoTime() - t) / 1e6;
          if (round > 0 && r.status() == 200) { // the first round warms both paths up
            via.add(v);
            straight.add(d);
          }
        }
      }
    }
    Collections.sort(via);
    Collections.sort(straight);
    System.out.printf(Locale.ROOT, "one call at a time, %d calls: through the gateway p50 %.2f ms, p90 %.2f ms;"
        + " straight p50 %.2f ms, p90 %.2f ms; overhead %.2f ms at the median%n", via.size(), at(via, 0.5),
        at(via, 0.9), at(straight, 0.5), at(straight, 0.9), at(via, 0.5) - at(straight, 0.5));
  }

  private static double at(List<Double> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  /** The same requests, each on every model, straight to the simulator, 16 at a time like the sweep. */
  private static List<Long> direct(HttpClient http, Simulator sim, List<String> bodies, int models) throws Exception {
    List<Long> out = Collections.synchronizedList(new ArrayList<>());
    Semaphore slots = new Semaphore(16);
    List<String> names = new ArrayList<>(List.of("gpt-4o"));
    names.addAll(CANDIDATES);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String body : bodies) {
        for (String model : names.subList(0, models)) {
          slots.acquire();
          pool.execute(() -> {
            try {
              boolean claude = model.startsWith("claude");
              var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tryParse(
                  body.getBytes(StandardCharsets.UTF_8));
              tree.put("model", model);
              HttpRequest.Builder b;
              if (claude) {
                tree.put("max_tokens", 1024);
                var messages = tree.withArray("messages");
                String system = messages.get(0).path("content").asText();
                messages.remove(0);
                tree.put("system", system);
                b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/messages")).header("x-api-key", "sk-bench")
                    .header("anthropic-version", "2023-06-01");
              } else {
                b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
                    .header("authorization", "Bearer sk-bench");
              }
              long t = System.nanoTime();
              http.send(b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                  Json.bytes(tree))).build(), HttpResponse.BodyHandlers.ofByteArray());
              out.add((System.nanoTime() - t) / 1_000_000);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            } finally {
              slots.release();
            }
          });
        }
      }
    }
    return out;
  }

  private static Config config(Simulator sim, Path dir) {
    Config d = ConfigLoader.defaults(Map.of());
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    providers.put("openai", new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", null,
        Duration.ofSeconds(30), Map.of(), List.of()));
    providers.put("anthropic", new ProviderConfig("anthropic", ProviderConfig.Kind.ANTHROPIC, sim.baseUrl(), null,
        Duration.ofSeconds(30), Map.of(), List.of()));
    return new Config(new Config.Server("127.0.0.1", 0, 1 << 20, Duration.ofSeconds(2)),
        new Config.Store("sqlite:" + dir.resolve("eval-bench.db")), null, providers, Map.of(), List.of(),
        new Config.Auth("bench-salt", Map.of(), false, null), d.retry(), d.guard(), d.log(), d.cache(), List.of());
  }

  private static double mean(List<Long> xs) {
    return xs.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  private static long pct(List<Long> xs, double p) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.isEmpty() ? 0 : s.get(Math.max(0, (int) Math.ceil(p * s.size()) - 1));
  }

  private static final class Quiet implements Evals.Out {
    @Override
    public void line(String text) {
      System.out.println(text);
    }

    @Override
    public void progress(int done, int total, long spentPicoUsd) {}
  }
}
