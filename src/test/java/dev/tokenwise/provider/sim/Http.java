package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for the simulator tests, with server-sent event parsing. */
final class Http {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private Http() {}

  /** One server-sent event: its name (null when there was no event line) and its data. */
  record Event(String name, String data) {
    JsonNode json() {
      return Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
    }
  }

  static HttpResponse<String> post(String url, String body, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  static HttpResponse<String> get(String url, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET(), headers);
  }

  static HttpResponse<String> delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).DELETE());
  }

  static String[] openAi() {
    return new String[] {"authorization", "Bearer sk-test-key", "content-type", "application/json"};
  }

  static String[] anthropic() {
    return new String[] {"x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01",
        "content-type", "application/json"};
  }

  private static HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    JsonNode n = Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8));
    if (n == null) {
      throw new AssertionError("not JSON: " + r.body());
    }
    return n;
  }

  /** Splits an event-stream body into events, checking that each ends with a blank line. */
  static List<Event> events(String body) {
    List<Event> out = new ArrayList<>();
    if (!body.endsWith("\n\n")) {
      throw new AssertionError("an event stream must end with a blank line: " + body);
    }
    for (String block : body.split("\n\n")) {
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        } else {
          throw new AssertionError("unexpected line in event stream: " + line);
        }
      }
      out.add(new Event(name, data.toString()));
    }
    return out;
  }

  /**
   * Sends one POST over a plain socket and returns every byte of the answer up to the end of the
   * connection or of a chunked body, whichever comes first: the way to see exactly what was on the
   * wire, cut connections included.
   */
  static String raw(int port, String path, String body, String... headerLines) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout((int) TIMEOUT.toMillis());
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n");
      for (String h : headerLines) {
        head.append(h).append("\r\n");
      }
      head.append("\r\n");
      s.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().write(payload);
      s.getOutputStream().flush();
      // A complete chunked body ends with an empty chunk; the connection may stay open after it.
      byte[] end = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
      java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
      for (int b = in.read(); b >= 0; b = in.read()) {
        seen.write(b);
        byte[] all = seen.toByteArray();
        if (b == '\n' && all.length >= end.length
            && java.util.Arrays.equals(all, all.length - end.length, all.length, end, 0, end.length)) {
          break;
        }
      }
      return seen.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("raw request failed: " + e, e);
    }
  }

  /** Repeats a sentence until the prompt has at least {@code tokens} tokens. */
  static String longText(int tokens) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    while (n < tokens) {
      sb.append("policy clause ").append(n).append(" applies to every ticket . ");
      n += 8;
    }
    return sb.toString();
  }
}
