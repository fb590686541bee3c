package dev.tokenwise.server;

import dev.tokenwise.core.Dialect;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Calls the gateway makes of itself: an eval sweep's replays and a shadow test's copies. They go over
 * loopback to the gateway's own endpoints, so that they take the same dispatch as a client's call (the
 * provider's translation, retries, fallbacks, pricing), but carry a token that only this process knows:
 * the handler then applies no policy, counts nothing against the spend guard, teaches the pattern's
 * statistics nothing and writes no row to the request log. Their cost comes back in the answer's
 * {@code x-tokenwise-cost-usd}; whoever made the call keeps it in its own table.
 *
 * <p>At most {@code perProvider} calls are in flight to each provider at once, so that a sweep cannot
 * crowd out the live traffic that shares the provider's rate limits.
 */
public final class InternalCalls {
  /** The header that marks an internal call; its value is the process's token. */
  static final String HEADER = "x-tokenwise-internal";
  /** Internal calls in flight to one provider at once, unless the caller says otherwise. */
  public static final int DEFAULT_PER_PROVIDER = 4;

  private final String token;
  private final HttpClient http;
  private final java.util.function.IntSupplier port;
  private final String host;
  private final int perProvider;
  private final Map<String, Semaphore> gates = new java.util.concurrent.ConcurrentHashMap<>();

  InternalCalls(String host, java.util.function.IntSupplier port, int perProvider) {
    byte[] r = new byte[24];
    new SecureRandom().nextBytes(r);
    this.token = HexFormat.of().formatHex(r);
    this.host = loopback(host);
    this.port = port;
    this.perProvider = perProvider;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Whether a request's header value is this process's token (compared in constant time). */
  boolean marks(String headerValue) {
    return headerValue != null && java.security.MessageDigest.isEqual(
        headerValue.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * What came back of one internal call.
   *
   * @param status the HTTP status (0 when the gateway could not be reached)
   * @param body the answer's body as the gateway sent it
   * @param costPicoUsd what the call cost, or -1 when its price is unknown
   * @param model the model that answered ({@code x-tokenwise-model}), or null
   * @param provider the provider that answered, or null
   * @param attempts upstream attempts made for it
   * @param latencyMillis from sending to the whole answer
   * @param error a short reason when the gateway could not be reached, else null
   */
  public record Reply(int status, byte[] body, long costPicoUsd, String model, String provider, int attempts,
      long latencyMillis, String error) {}

  /**
   * Sends one chat call (not streamed) in {@code dialect} and waits for the whole answer.
   *
   * @param provider the provider the model belongs to, for the bound on calls in flight
   * @param headers the client headers to send along ({@code authorization}, {@code x-api-key},
   *     {@code anthropic-version}): a provider without a configured key is called with the client's own
   * @param timeout how long to wait for the answer
   */
  public Reply chat(Dialect dialect, String provider, byte[] body, Map<String, String> headers, Duration timeout)
      throws InterruptedException {
    Semaphore gate = gates.computeIfAbsent(provider == null ? "" : provider, k -> new Semaphore(perProvider));
    gate.acquire();
    long start = System.nanoTime();
    try {
      String path = dialect == Dialect.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions";
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port.getAsInt() + path))
          .timeout(timeout)
          .header("content-type", "application/json")
          .header(HEADER, token)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach((k, v) -> {
        if (v != null) {
          b.header(k, v);
        }
      });
      if (dialect == Dialect.ANTHROPIC && !headers.containsKey("anthropic-version")) {
        b.header("anthropic-version", "2023-06-01");
      }
      HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Reply(res.statusCode(), res.body(), cost(res.headers().firstValue("x-tokenwise-cost-usd")),
          res.headers().firstValue("x-tokenwise-model").orElse(null),
          res.headers().firstValue("x-tokenwise-provider").orElse(null),
          res.headers().firstValue("x-tokenwise-attempts").map(InternalCalls::count).orElse(0), millis, null);
    } catch (IOException e) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Reply(0, new byte[0], 0, null, null, 0, millis, "the gateway could not be reached: "
          + e.getClass().getSimpleName());
    } finally {
      gate.release();
    }
  }

  /** {@code x-tokenwise-cost-usd} in picodollars; -1 when absent or unknown. */
  static long cost(Optional<String> header) {
    if (header.isEmpty() || header.get().isBlank() || header.get().equals("unknown")) {
      return -1;
    }
    try {
      return new BigDecimal(header.get().strip()).movePointRight(12).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return -1;
    }
  }

  private static int count(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A wildcard bind address is reached over loopback; a named one as it is. */
  private static String loopback(String host) {
    if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
