import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams the same question through the gateway four ways (each client dialect to a model of its own
 * dialect and of the other) and prints time to first token and total time, with the ratio of the
 * translated call to the untranslated one. Run by bench/translate.sh; arguments: gateway base URL,
 * warm-up calls per case, measured calls per case.
 */
public final class TranslateBench {
  record Case(String name, String path, String model, boolean anthropic) {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int warmup = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    List<Case> cases = List.of(
        new Case("openai client -> gpt-4o-mini (same dialect)", "/v1/chat/completions", "gpt-4o-mini", false),
        new Case("openai client -> claude-haiku-4-5 (translated)", "/v1/chat/completions", "claude-haiku-4-5", false),
        new Case("anthropic client -> claude-haiku-4-5 (same dialect)", "/v1/messages", "claude-haiku-4-5", true),
        new Case("anthropic client -> gpt-4o-mini (translated)", "/v1/messages", "gpt-4o-mini", true));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long[][] first = new long[cases.size()][calls];
    long[][] total = new long[cases.size()][calls];
    for (int i = -warmup; i < calls; i++) {
      for (int c = 0; c < cases.size(); c++) {
        long[] t = call(http, base, cases.get(c));
        if (i >= 0) {
          first[c][i] = t[0];
          total[c][i] = t[1];
        }
      }
    }
    System.out.printf("%-52s %12s %12s %12s %12s%n", "case (streamed, " + calls + " calls each)", "ttft p50 ms",
        "ttft p90 ms", "total p50 ms", "total p90 ms");
    for (int c = 0; c < cases.size(); c++) {
      System.out.printf("%-52s %12.3f %12.3f %12.3f %12.3f%n", cases.get(c).name(), pct(first[c], 50),
          pct(first[c], 90), pct(total[c], 50), pct(total[c], 90));
    }
    System.out.printf("%nratio translated / same dialect (p50): openai client ttft %.2f, total %.2f; "
        + "anthropic client ttft %.2f, total %.2f%n",
        pct(first[1], 50) / pct(first[0], 50), pct(total[1], 50) / pct(total[0], 50),
        pct(first[3], 50) / pct(first[2], 50), pct(total[3], 50) / pct(total[2], 50));
  }

  /** One streamed call: nanoseconds to the first text delta and to the end. */
  static long[] call(HttpClient http, String base, Case c) throws Exception {
    String body = c.anthropic()
        ? "{\"model\":\"" + c.model() + "\",\"max_tokens\":200,\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Describe the benefits of streaming answers in two sentences.\"}]}"
        : "{\"model\":\"" + c.model() + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Describe the benefits of streaming answers in two sentences.\"}]}";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path()))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (c.anthropic()) {
      b.header("x-api-key", "sk-bench").header("anthropic-version", "2023-06-01");
    } else {
      b.header("authorization", "Bearer sk-bench");
    }
    long start = System.nanoTime();
    HttpResponse<java.io.InputStream> res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(c.name() + ": HTTP " + res.statusCode() + " " + new String(
          res.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    long firstText = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (firstText == 0 && (line.contains("\"text_delta\"") || line.contains("\"content\":\"") && !line
            .contains("\"content\":\"\""))) {
          firstText = System.nanoTime() - start;
        }
      }
    }
    return new long[] {firstText, System.nanoTime() - start};
  }

  static double pct(long[] values, int p) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)] / 1e6;
  }
}
