package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** One request and its answer: headers, request id, the call record, and the ways to answer. */
final class Exchange {
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  final ServerRequest req;
  final ServerResponse res;
  final CallLog.Entry call;
  final byte[] body;
  final String requestId;
  private final Dialect dialect;

  Exchange(ServerRequest req, ServerResponse res, CallLog.Entry call, byte[] body, Dialect dialect) {
    this.req = req;
    this.res = res;
    this.call = call;
    this.body = body;
    this.dialect = dialect;
    this.requestId = dialect == Dialect.OPENAI ? "req_" + randomId(32).toLowerCase(Locale.ROOT)
        : "req_011C" + randomId(20);
  }

  /** A request header by name, or null. */
  String header(String name) {
    return req.headers().first(io.helidon.http.HeaderNames.create(name)).orElse(null);
  }

  /** An id that is unique in this process and looks like the providers' ids. */
  static String randomId(int length) {
    long x = SEQUENCE.incrementAndGet() * 0x9e3779b97f4a7c15L ^ System.nanoTime();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      sb.append(ALPHABET.charAt((int) Math.floorMod(x, (long) ALPHABET.length())));
    }
    return sb.toString();
  }

  /** Waits before the first byte, as a rule asked. */
  void stall(Duration d) {
    pause(d);
  }

  /** Sends a whole JSON answer and records how it went. */
  void json(int status, JsonNode node) {
    send(status, "application/json", Json.bytes(node), null, -1);
  }

  /**
   * Sends a whole 200 answer, cut as the plan says: with {@code dropAfter} only half of the body goes
   * before the connection is cut; with {@code truncate} the first half goes as the whole body, with
   * a {@code content-length} to match, so the answer ends cleanly but its JSON does not.
   */
  void answer(String contentType, byte[] bytes, Plan plan) {
    if (plan.truncateAfter() >= 0 && plan.dropAfter() < 0) {
      head(200, contentType, null);
      try {
        res.send(java.util.Arrays.copyOf(bytes, bytes.length / 2));
      } catch (RuntimeException e) {
        call.finish(Call.State.CANCELLED);
        throw new CloseConnectionException("client went away", e);
      }
      call.finish(Call.State.TRUNCATED);
      return;
    }
    send(200, contentType, bytes, null, plan.dropAfter());
  }

  /** Sends a whole answer; with {@code dropAfter} >= 0 only half of the body goes before the cut. */
  void send(int status, String contentType, byte[] bytes, Duration retryAfter, int dropAfter) {
    head(status, contentType, retryAfter);
    if (dropAfter >= 0) {
      res.header("content-length", String.valueOf(bytes.length));
      OutputStream out = res.outputStream();
      write(out, bytes, 0, bytes.length / 2);
      call.finish(Call.State.DROPPED);
      throw new CloseConnectionException("connection cut by a dropAfter rule");
    }
    try {
      res.send(bytes);
    } catch (RuntimeException e) {
      call.finish(Call.State.CANCELLED);
      throw new CloseConnectionException("client went away", e);
    }
    call.finish(Call.State.COMPLETED);
  }

  /** Closes the connection before any byte of an answer, as a rule's {@code reset} asks. */
  void reset() {
    call.finish(Call.State.DROPPED);
    throw new CloseConnectionException("connection closed by a reset rule before any answer");
  }

  /** Sets the status and the headers every answer carries. */
  void head(int status, String contentType, Duration retryAfter) {
    res.status(status);
    call.status(status);
    res.header("content-type", contentType);
    if (dialect == Dialect.OPENAI) {
      res.header("x-request-id", requestId);
      res.header("openai-version", "2020-10-01");
    } else {
      res.header("request-id", requestId);
    }
    if (retryAfter != null) {
      res.header("retry-after", seconds(retryAfter));
    }
  }

  /**
   * Opens a server-sent event stream with the rule's pacing and cuts; {@code inBandError} is the
   * error event a rule's {@code fail(..).afterEvents(n)} sends after n events, or null.
   */
  EventStream stream(Plan plan, String inBandError) {
    head(200, "text/event-stream", null);
    res.header("cache-control", "no-cache");
    return new EventStream(res.outputStream(), call, plan, inBandError);
  }

  /** The error body of the dialect, with a retry-after header when given. */
  void error(int status, String type, String message, String param, String code, Duration retryAfter) {
    send(status, "application/json", Json.bytes(errorBody(type, message, param, code)), retryAfter, -1);
  }

  /** The dialect's error object: {@code {"error":{...}}} on OpenAI, {@code {"type":"error",...}} on Anthropic. */
  ObjectNode errorBody(String type, String message, String param, String code) {
    ObjectNode body = Json.object();
    if (dialect == Dialect.OPENAI) {
      ObjectNode e = body.putObject("error");
      e.put("message", message);
      e.put("type", type);
      e.put("param", param);
      e.put("code", code);
    } else {
      body.put("type", "error");
      ObjectNode e = body.putObject("error");
      e.put("type", type);
      e.put("message", message);
      body.put("request_id", requestId);
    }
    return body;
  }

  /**
   * Answers with a body that is not the wire format. On 200: an HTML page where JSON was due, or an
   * event stream whose one event carries that page instead of JSON. On an error status: the HTML page
   * a CDN in front of a provider sends on 502, 503 and 504 (openai.md §7.2), with the retry-after
   * header when given.
   */
  void garbage(int status, Duration retryAfter, boolean stream) {
    byte[] page = Failures.GARBAGE_BODY.getBytes(StandardCharsets.UTF_8);
    if (status != 200) {
      send(status, "text/html", page, retryAfter, -1);
    } else if (stream) {
      send(200, "text/event-stream", ("data: " + Failures.GARBAGE_BODY + "\n\n")
          .getBytes(StandardCharsets.UTF_8), null, -1);
    } else {
      send(200, "application/json", page, null, -1);
    }
  }

  /** Seconds as the retry-after header writes them: whole when whole, else a decimal. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  static void write(OutputStream out, byte[] bytes, int off, int len) {
    try {
      out.write(bytes, off, len);
      out.flush();
    } catch (java.io.IOException | RuntimeException e) {
      throw new ClientGone(e);
    }
  }

  static void pause(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloseConnectionException("interrupted while pausing", e);
    }
  }

  /** The client closed its side while the answer was being written. */
  static final class ClientGone extends RuntimeException {
    ClientGone(Throwable cause) {
      super("client went away", cause, false, false);
    }
  }
}
