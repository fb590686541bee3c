package dev.tokenwise.provider;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The upstream HTTP call, on pooled HTTP/1.1 clients shared by all providers (one per connect timeout,
 * which the client library sets per client, not per request). The client reads on the caller's virtual
 * thread (no hand-off to a selector thread: measured twice as fast as the JDK's client, see
 * docs/decisions.md); the body comes back as a stream so that a provider's stream is relayed event by
 * event, and closing it early drops the connection, which stops the provider generating (and billing)
 * at once. Each attempt's first-byte, idle and total timeouts are kept by a {@link Watchdog}, on one
 * timer thread for all.
 */
public final class HttpUpstream implements AutoCloseable {
  /** How deep a cause chain is searched for the reason of a failure. */
  private static final int MAX_CAUSE_DEPTH = 8;
  /**
   * The socket's own read timeout stays this much above the watchdog's, as a backstop only: the
   * watchdog's limits are the ones that count and that its messages name.
   */
  private static final Duration BACKSTOP = Duration.ofSeconds(1);

  private final Map<Duration, WebClient> clients = new ConcurrentHashMap<>();
  private final Watchdogs watchdogs = new Watchdogs();

  /** Clients are made as connect timeouts are first asked for. */
  public HttpUpstream() {}

  private WebClient client(Duration connectTimeout) {
    return clients.computeIfAbsent(connectTimeout, t -> WebClient.builder()
        .connectTimeout(t)
        .followRedirects(false)
        .keepAlive(true)
        // a request's headers and body, and a stream's events, are small writes that must not wait for
        // the peer's delayed ACK
        .socketOptions(o -> o.tcpNoDelay(true))
        .build());
  }

  /**
   * Sends the request and returns as soon as the status line and headers arrived; the answer's body
   * is then subject to the idle and total timeouts.
   *
   * @throws GatewayException UPSTREAM_UNREACHABLE or UPSTREAM_TIMEOUT, saying which provider and what to check
   */
  public UpstreamReply send(UpstreamRequest request) {
    String base = request.route().provider().baseUrl();
    String name = request.route().providerName();
    UpstreamRequest.Timeouts limits = request.timeouts();
    URI uri;
    try {
      uri = URI.create(stripSlash(base) + request.path());
    } catch (IllegalArgumentException e) {
      throw GatewayException.of(ErrorKind.INVALID_REQUEST, name + ": the model name makes an invalid URL path");
    }
    Duration socket = (limits.firstByte().compareTo(limits.idle()) >= 0 ? limits.firstByte() : limits.idle());
    socket = (socket.compareTo(limits.total()) <= 0 ? socket : limits.total()).plus(BACKSTOP);
    HttpClientRequest req = (request.body() == null ? client(limits.connect()).get() : client(limits.connect()).post())
        .uri(uri)
        .readTimeout(socket);
    request.headers().forEach((k, v) -> {
      if (!k.equals("content-type")) {
        req.header(HeaderNames.create(k), v);
      }
    });
    long start = System.nanoTime();
    Watchdog watchdog = Watchdog.start(watchdogs, limits);
    HttpClientResponse res;
    try {
      if (request.body() == null) {
        res = req.request();
      } else {
        req.contentType(MediaTypes.APPLICATION_JSON);
        res = req.submit(request.body());
      }
    } catch (RuntimeException e) {
      watchdog.sendFailed();
      throw classify(e, name, base, limits, watchdog.reason());
    }
    Reply reply = new Reply(res, (System.nanoTime() - start) / 1_000_000, watchdog);
    watchdog.headersArrived(reply::cancel);
    return reply;
  }

  private static GatewayException classify(RuntimeException e, String name, String base,
      UpstreamRequest.Timeouts limits, String cutBy) {
    if (cutBy != null) {
      return GatewayException.of(ErrorKind.UPSTREAM_TIMEOUT, name + ": " + cutBy + "; raise providers." + name + "."
          + (cutBy.contains("first_byte_timeout") ? "first_byte_timeout" : cutBy.contains("retry.deadline")
          ? "timeout or retry.deadline" : "timeout"), e);
    }
    Throwable c = e;
    for (int depth = 0; c != null && depth < MAX_CAUSE_DEPTH; depth++, c = c.getCause()) {
      if (c instanceof ConnectException) {
        return GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE, name + ": cannot connect to " + base
            + " (connection refused); check providers." + name + ".base_url", e);
      }
      if (c instanceof UnknownHostException) {
        return GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE, name + ": unknown host in " + base
            + "; check providers." + name + ".base_url", e);
      }
      if (c instanceof SocketTimeoutException) {
        return GatewayException.of(ErrorKind.UPSTREAM_TIMEOUT, name + ": no connection or answer within "
            + limits.connect().toMillis() + " ms to connect, " + limits.firstByte().toMillis()
            + " ms to answer; raise providers." + name + ".connect_timeout or first_byte_timeout", e);
      }
    }
    return GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE, name + ": the connection to " + base + " failed ("
        + e.getClass().getSimpleName() + ")", e);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() {
    clients.values().forEach(WebClient::closeResource);
    watchdogs.close();
  }

  /** Attempts whose deadlines are watched now (for tests: an attempt that ended leaves none behind). */
  int watched() {
    return watchdogs.size();
  }

  private static final class Reply implements UpstreamReply {
    private final HttpClientResponse response;
    private final long firstByteMillis;
    private final Watchdog watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();
    private InputStream body;

    Reply(HttpClientResponse response, long firstByteMillis, Watchdog watchdog) {
      this.response = response;
      this.firstByteMillis = firstByteMillis;
      this.watchdog = watchdog;
    }

    @Override
    public int status() {
      return response.status().code();
    }

    @Override
    public String header(String name) {
      return response.headers().first(HeaderNames.create(name)).orElse(null);
    }

    @Override
    public Map<String, List<String>> headers() {
      Map<String, List<String>> out = new LinkedHashMap<>();
      for (Header h : response.headers()) {
        out.put(h.name().toLowerCase(Locale.ROOT), h.allValues());
      }
      return out;
    }

    @Override
    public InputStream body() {
      if (body == null) {
        body = new Watched(response.inputStream(), watchdog);
      }
      return body;
    }

    @Override
    public byte[] readAll(int max) throws java.io.IOException {
      var length = response.headers().contentLength();
      if (length.isPresent() && length.getAsLong() <= max) {
        // reading into an array of the exact size asks the client for exactly what is left; asking for
        // "up to 16 KB" made it allocate a 16 KB buffer for every read of a 600-byte answer
        byte[] all = new byte[(int) length.getAsLong()];
        int n = body().readNBytes(all, 0, all.length);
        if (n < all.length) {
          throw new java.io.EOFException("the answer ended after " + n + " of " + all.length + " bytes");
        }
        return all;
      }
      return body().readNBytes(max);
    }

    @Override
    public long firstByteMillis() {
      return firstByteMillis;
    }

    @Override
    public String failure() {
      return watchdog.reason();
    }

    @Override
    public void cancel() {
      if (closed.compareAndSet(false, true)) {
        watchdog.done();
        try {
          response.close();
        } catch (RuntimeException ignored) {
          // the exchange is being dropped; a failure to close it changes nothing for the caller
        }
      }
    }
  }

  /** The body, telling the watchdog of every read that returned, so that pauses are measured between them. */
  private static final class Watched extends FilterInputStream {
    private final Watchdog watchdog;

    Watched(InputStream in, Watchdog watchdog) {
      super(in);
      this.watchdog = watchdog;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      watchdog.read();
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      watchdog.read();
      return n;
    }
  }
}
