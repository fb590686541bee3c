package dev.tokenwise.provider;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The upstream HTTP call. Keeps one pooled HTTP/1.1 client for all providers; the body comes back as
 * a stream so that the relay can pass a provider's stream on event by event, and closing that stream
 * aborts the exchange (the provider stops generating, and billing, at once).
 */
public final class HttpUpstream implements AutoCloseable {
  private final HttpClient client;

  /** A client whose connections time out after {@code connectTimeout}. */
  public HttpUpstream(Duration connectTimeout) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-", 0).factory()))
        .build();
  }

  /**
   * Sends the request and returns as soon as the status line and headers arrived.
   *
   * @throws GatewayException UPSTREAM_UNREACHABLE or UPSTREAM_TIMEOUT, saying which provider and what to check
   */
  public UpstreamReply send(UpstreamRequest request) {
    String base = request.route().provider().baseUrl();
    URI uri = URI.create(stripSlash(base) + request.path());
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(request.timeout());
    request.headers().forEach(b::header);
    if (request.body() == null) {
      b.GET();
    } else {
      b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    }
    String name = request.route().providerName();
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Reply(response, (System.nanoTime() - start) / 1_000_000);
    } catch (HttpConnectTimeoutException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE,
          name + ": could not connect to " + base + " in time; check providers." + name + ".base_url", e);
    } catch (HttpTimeoutException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_TIMEOUT, name + ": no answer within "
          + request.timeout().toMillis() + " ms; raise providers." + name + ".timeout", e);
    } catch (ConnectException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE,
          name + ": cannot connect to " + base + " (connection refused); check providers." + name
              + ".base_url", e);
    } catch (InterruptedException | InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw GatewayException.of(ErrorKind.CLIENT_CLOSED, name + ": call interrupted", e);
    } catch (IOException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE,
          name + ": the connection to " + base + " failed (" + e.getClass().getSimpleName() + ")", e);
    } catch (IllegalArgumentException e) {
      throw GatewayException.of(ErrorKind.INVALID_REQUEST,
          name + ": a header or the URL is not valid for an HTTP request (" + e.getMessage() + ")");
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() {
    client.shutdownNow();
  }

  private static final class Reply implements UpstreamReply {
    private final HttpResponse<InputStream> response;
    private final long firstByteMillis;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    Reply(HttpResponse<InputStream> response, long firstByteMillis) {
      this.response = response;
      this.firstByteMillis = firstByteMillis;
    }

    @Override
    public int status() {
      return response.statusCode();
    }

    @Override
    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public Map<String, List<String>> headers() {
      return response.headers().map();
    }

    @Override
    public InputStream body() {
      return response.body();
    }

    @Override
    public long firstByteMillis() {
      return firstByteMillis;
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        try {
          response.body().close();
        } catch (IOException ignored) {
          // the exchange is being dropped; nothing more to do with it
        }
      }
    }
  }
}
