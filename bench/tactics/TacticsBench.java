import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a synthetic, deterministic workload through the gateway (in front of `tokenwise simulate`) and
 * prints, per scenario, the cost as the client sent it (x-tokenwise-baseline-usd) against the cost after
 * the scenario's tactic (x-tokenwise-cost-usd), summed exactly. Each scenario sends its own
 * x-tokenwise-tag, and the gateway's config holds one policy per tag. Run by bench/tactics.sh; arguments:
 * gateway base URL, simulator base URL, calls per scenario, milliseconds between the prompt-cache calls.
 */
public final class TacticsBench {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One call's figures as the gateway reported them. */
  record Call(BigDecimal baseline, BigDecimal cost, String trace, String requestId) {}

  /** The sums of one scenario. */
  static final class Scenario {
    final String name;
    final String tactic;
    final String traceWord;
    final java.util.regex.Pattern applied;
    BigDecimal baseline = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
    int calls;
    int unpriced;
    int traced;
    final List<String> ids = new ArrayList<>();
    String sampleTrace;

    Scenario(String name, String tactic, String traceWord) {
      this.name = name;
      this.tactic = tactic;
      this.traceWord = traceWord;
      this.applied = java.util.regex.Pattern.compile(traceWord);
    }

    void add(Call c) {
      calls++;
      if (c.baseline() == null || c.cost() == null) {
        unpriced++;
      } else {
        baseline = baseline.add(c.baseline());
        cost = cost.add(c.cost());
      }
      if (c.requestId() != null) {
        ids.add(c.requestId());
      }
      see(c.trace());
    }

    void see(String trace) {
      if (trace != null && applied.matcher(trace).find()) {
        traced++;
        if (sampleTrace == null) {
          sampleTrace = trace;
        }
      }
    }
  }

  static String gw;
  static String sim;

  public static void main(String[] args) throws Exception {
    gw = args[0];
    sim = args[1];
    int calls = Integer.parseInt(args[2]);
    long cacheGapMs = Long.parseLong(args[3]);
    List<Scenario> all = new ArrayList<>();
    all.add(classifier(calls));
    all.add(growingChat(Math.min(calls, 80)));
    all.add(stablePrompt(calls, cacheGapMs));
    all.add(runawayExtractor(calls));
    report(all);
  }

  // ---- (a) a classifier on a frontier model with max_tokens 4096 ---------------------------------------
  static Scenario classifier(int n) throws Exception {
    Scenario s = new Scenario("a classifier gpt-4o, max_tokens 4096", "route.model gpt-4o-mini + max_tokens cap 256",
        "route: model gpt-4o -> gpt-4o-mini");
    String[] topics = {"a duplicate charge on my card", "the export button crashes the app",
        "I cannot reset my password", "please add dark mode", "the invoice shows the wrong VAT number",
        "the mobile app logs me out every hour", "how do I delete my account", "webhooks arrive twice"};
    for (int i = 0; i < n; i++) {
      String ticket = "Ticket #" + (1000 + i) + ": Hello, " + topics[i % topics.length] + ". This started on day "
          + (i % 28 + 1) + " and affects " + (i % 5 + 1) + " users in our team. Thanks.";
      String body = "{\"model\":\"gpt-4o\",\"max_tokens\":4096,\"messages\":["
          + msg("system", "Classify the support ticket into exactly one label: billing, bug, account, feature,"
              + " other. Answer with the label only.")
          + "," + msg("user", ticket) + "]}";
      s.add(openai(body, "bench-classify", false));
    }
    return s;
  }

  // ---- (b) a growing chat: each call adds a turn ----------------------------------------------------
  static Scenario growingChat(int n) throws Exception {
    Scenario s = new Scenario("b growing chat gpt-4o-mini", "context keep_last_turns 6", "context: kept last");
    StringBuilder history = new StringBuilder(msg("system", "You are a patient travel planner. Keep answers short."));
    for (int i = 0; i < n; i++) {
      String user = "Turn " + (i + 1) + ": what should we do on day " + (i % 14 + 1)
          + " of the trip, given the weather and that we liked the museum from the day before?";
      String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[" + history + "," + msg("user", user) + "]}";
      s.add(openai(body, "bench-chat", false));
      // The assistant's turn is a fixed text, so the history (and every figure) is the same on every run.
      history.append(',').append(msg("user", user)).append(',').append(msg("assistant",
          "For day " + (i % 14 + 1) + " I suggest the old town in the morning, a long lunch, then the river walk;"
              + " book the evening concert in advance because it sells out, and keep a rain plan ready."));
    }
    return s;
  }

  // ---- (c) a long stable system prompt on an Anthropic model, called every few seconds --------------
  static Scenario stablePrompt(int n, long gapMs) throws Exception {
    Scenario s = new Scenario("c stable system prompt claude-sonnet-4-5", "prompt_cache auto",
        "prompt_cache: \\d+ breakpoints? \\(");
    StringBuilder sys = new StringBuilder("You are the support assistant of Acme Cloud. Policies follow.");
    for (int i = 0; sys.length() < 16_000; i++) {
      sys.append(" Rule ").append(i + 1).append(": when a customer asks about plan ").append((char) ('A' + i % 26))
          .append(" quota ").append(i * 7 % 100).append(", explain the limits, link the pricing page, and never"
              + " promise refunds without a ticket number.");
    }
    String system = quote(sys.toString());
    for (int i = 0; i < n; i++) {
      String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":300,\"system\":" + system
          + ",\"messages\":[" + msg("user", "Question " + (i + 1) + ": what does plan " + (char) ('A' + i % 26)
              + " include and how do I raise its quota?") + "]}";
      s.add(anthropic(body, "bench-cache"));
      if (gapMs > 0 && i + 1 < n) {
        Thread.sleep(gapMs);
      }
    }
    return s;
  }

  // ---- (d) a streamed JSON extractor whose answers run away after the object ----------------------------
  static Scenario runawayExtractor(int n) throws Exception {
    Scenario s = new Scenario("d JSON extractor gpt-4.1-mini, streamed", "early_exit json", "early_exit: stopped after");
    StringBuilder text = new StringBuilder("{\"name\":\"Ada Lovelace\",\"company\":\"Analytical Engines Ltd\","
        + "\"email\":\"ada@example.com\",\"intent\":\"renewal\"}");
    for (int i = 0; text.length() < 6_000; i++) {
      text.append(" Note ").append(i + 1).append(": beyond the object above, the message also mentions the weather,"
          + " a previous order, a holiday plan and several other details that were not asked for.");
    }
    post(sim + "/_sim/rules", "{\"model\":\"gpt-4.1-mini\",\"action\":\"reply\",\"text\":" + quote(text.toString())
        + ",\"times\":" + n + "}", null);
    for (int i = 0; i < n; i++) {
      String body = "{\"model\":\"gpt-4.1-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"response_format\":{\"type\":\"json_object\"},\"messages\":["
          + msg("system", "Extract name, company, email and intent from the email as one JSON object.") + ","
          + msg("user", "Email " + (i + 1) + ": Hi, this is Ada from Analytical Engines, about renewing contract "
              + (5000 + i) + ". Reach me at ada@example.com.") + "]}";
      s.add(openai(body, "bench-extract", true));
    }
    // A stream's headers leave before its end: look for the tactic in the logged rows as well.
    Thread.sleep(600);
    for (String id : s.ids) {
      String row = get(gw + "/tokenwise/api/requests/" + id);
      if (row != null && s.applied.matcher(row).find()) {
        s.see(row);
      }
    }
    post(sim + "/_sim/rules", null, "DELETE");
    return s;
  }

  // ---- report ---------------------------------------------------------------------------------------
  static void report(List<Scenario> all) {
    String fmt = "%-42s %-44s %6s %12s %12s %12s %8s%n";
    System.out.printf(fmt, "scenario", "tactic", "calls", "baseline $", "actual $", "saved $", "saved %");
    BigDecimal tb = BigDecimal.ZERO;
    BigDecimal tc = BigDecimal.ZERO;
    int tn = 0;
    for (Scenario s : all) {
      System.out.printf(fmt, s.name, s.tactic, s.calls, money(s.baseline), money(s.cost),
          money(s.baseline.subtract(s.cost)), pct(s.baseline, s.cost));
      tb = tb.add(s.baseline);
      tc = tc.add(s.cost);
      tn += s.calls;
    }
    System.out.printf(fmt, "total", "", tn, money(tb), money(tc), money(tb.subtract(tc)), pct(tb, tc));
    System.out.println();
    for (Scenario s : all) {
      String where = s.traceWord.startsWith("early_exit") ? "trace or logged row" : "x-tokenwise-trace";
      System.out.printf("%s: the tactic changed %d of %d calls (/%s/ in their %s)%s%n", s.name.substring(0, 1), s.traced, s.calls,
          s.traceWord, where, s.unpriced > 0 ? "; " + s.unpriced + " call(s) had no cost and are left out" : "");
      if (s.sampleTrace != null) {
        String t = s.sampleTrace.length() > 220 ? s.sampleTrace.substring(0, 220) + "..." : s.sampleTrace;
        System.out.println("   e.g. " + t);
      }
      if (s.traced == 0) {
        System.out.println("   NOT APPLIED: the gateway did not apply " + s.tactic
            + " to any call; any saving shown is not this tactic's (expected while the tactic is not in this build)");
      }
    }
  }

  static String money(BigDecimal v) {
    return v.setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  static String pct(BigDecimal baseline, BigDecimal cost) {
    if (baseline.signum() == 0) {
      return "n/a";
    }
    return baseline.subtract(cost).multiply(BigDecimal.valueOf(100)).divide(baseline, 1, RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  // ---- HTTP -----------------------------------------------------------------------------------------
  static Call openai(String body, String tag, boolean stream) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .header("authorization", "Bearer sk-bench").header("x-tokenwise-tag", tag)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(b.build(), stream);
  }

  static Call anthropic(String body, String tag) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw + "/v1/messages"))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .header("x-api-key", "sk-bench").header("anthropic-version", "2023-06-01").header("x-tokenwise-tag", tag)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(b.build(), false);
  }

  static Call send(HttpRequest req, boolean stream) throws Exception {
    HttpResponse<java.io.InputStream> res = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    String trace = res.headers().firstValue("x-tokenwise-trace").orElse(null);
    String id = res.headers().firstValue("x-tokenwise-request-id").orElse(null);
    if (res.statusCode() != 200) {
      throw new IllegalStateException(req.uri() + ": HTTP " + res.statusCode() + " "
          + new String(res.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    if (!stream) {
      res.body().readAllBytes();
      return new Call(decimal(res.headers().firstValue("x-tokenwise-baseline-usd").orElse(null)),
          decimal(res.headers().firstValue("x-tokenwise-cost-usd").orElse(null)), trace, id);
    }
    String cost = null;
    String baseline = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(": x-tokenwise-cost-usd=")) {
          for (String kv : line.substring(2).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
              continue;
            }
            switch (kv.substring(0, eq)) {
              case "x-tokenwise-cost-usd" -> cost = kv.substring(eq + 1);
              case "x-tokenwise-baseline-usd" -> baseline = kv.substring(eq + 1);
              case "x-tokenwise-request-id" -> id = kv.substring(eq + 1);
              default -> { }
            }
          }
        }
      }
    }
    return new Call(decimal(baseline), decimal(cost), trace, id);
  }

  static BigDecimal decimal(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null; // "unknown": a model with no price
    }
  }

  static String get(String url) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    return res.statusCode() == 200 ? res.body() : null;
  }

  static void post(String url, String body, String method) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json");
    b.method(method != null ? method : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + ": HTTP " + res.statusCode() + " " + res.body());
    }
  }

  // ---- JSON text ------------------------------------------------------------------------------------
  static String msg(String role, String content) {
    return "{\"role\":\"" + role + "\",\"content\":" + quote(content) + "}";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
