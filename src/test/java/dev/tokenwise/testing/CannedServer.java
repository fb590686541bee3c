package dev.tokenwise.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A loopback HTTP server that answers every POST with fixed bytes: the stream when the request asked
 * for one, the whole response otherwise. Lets an official SDK read bytes the gateway produced exactly
 * as it would read a provider's.
 */
public final class CannedServer implements AutoCloseable {
  private final HttpServer server;
  private volatile byte[] whole = "{}".getBytes(StandardCharsets.US_ASCII);
  private volatile byte[] stream = new byte[0];

  private CannedServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static CannedServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      CannedServer canned = new CannedServer(http);
      http.createContext("/", exchange -> {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean streamed = request.replace(" ", "").contains("\"stream\":true");
        byte[] body = streamed ? canned.stream : canned.whole;
        exchange.getResponseHeaders().set("content-type", streamed ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      http.start();
      return canned;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets what the next calls get. */
  public void answer(byte[] whole, byte[] stream) {
    this.whole = whole;
    this.stream = stream;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
