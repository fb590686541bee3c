package dev.tokenwise.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a month of calls through the gateway as its clients would: in time order, a few at once, the
 * clock moved to each call's time before it goes out (and never more than {@link #MAX_SKEW} ahead of a
 * call still on its way), and the turns of one conversation one after the other (a turn waits for the
 * answer before it, which it carries in its history).
 *
 * <p>Every call is a real call: the gateway prices it from its catalog and logs it; nothing here makes
 * up a figure. The spend shown on the way comes from the answers' cost headers.
 */
final class Replay {
  private static final System.Logger LOG = System.getLogger(Replay.class.getName());
  /** The key clients send; the gateway calls the simulator with its own, so this one only names the tenant. */
  static final String CLIENT_KEY = "demo-client";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final String COST_MARK = "x-tokenwise-cost-usd=";
  /** How far the clock may run ahead of a call that is still on its way. */
  static final Duration MAX_SKEW = Duration.ofSeconds(30);
  private static final ThreadFactory CLIENTS = Thread.ofVirtual().name("tokenwise-demo-client-", 0)
      .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, "demo client " + t.getName() + " stopped", e))
      .factory();

  /**
   * What a month's replay did.
   *
   * @param calls calls sent
   * @param failed calls that got no answer (an error status or no connection)
   * @param spentPicoUsd the sum of the answers' cost headers
   * @param wall how long it took
   */
  record Outcome(int calls, long failed, long spentPicoUsd, Duration wall) {}

  private final HttpClient http;
  private final String base;
  private final DemoClock clock;
  private final int concurrency;

  Replay(HttpClient http, String base, DemoClock clock, int concurrency) {
    this.http = http;
    this.base = base;
    this.clock = clock;
    this.concurrency = concurrency;
  }

  DemoClock clock() {
    return clock;
  }

  Outcome run(DemoTraffic month, Progress progress) throws InterruptedException {
    long started = System.nanoTime();
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong failed = new AtomicLong();
    InFlight inFlight = new InFlight();
    long seq = 0;
    for (DemoCall call : month.calls()) {
      slots.acquire();
      inFlight.awaitWithin(call.at());
      clock.advanceTo(call.at());
      long id = seq++;
      inFlight.add(id, call.at());
      CLIENTS.newThread(() -> {
        try {
          long cost = send(call);
          if (cost < 0) {
            failed.incrementAndGet();
          }
          progress.step(Math.max(0, cost));
        } catch (RuntimeException e) {
          failed.incrementAndGet();
          progress.step(0);
          LOG.log(Level.WARNING, "demo: " + call + " failed unexpectedly", e);
        } finally {
          inFlight.remove(id);
          slots.release();
        }
      }).start();
    }
    slots.acquire(concurrency);
    progress.finish();
    return new Outcome(month.calls().size(), failed.get(), progress.spentPicoUsd(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The calls on their way, by the order they went out in (which is time order). The gateway stamps a
   * row with the clock when the request arrives, so the clock must not run far ahead of a call that
   * has not arrived yet: before a quiet spell the driver waits for the calls before it, and a row's
   * time stays within {@link #MAX_SKEW} of its call's.
   */
  private static final class InFlight {
    private final TreeMap<Long, Instant> calls = new TreeMap<>();

    synchronized void add(long id, Instant at) {
      calls.put(id, at);
    }

    synchronized void remove(long id) {
      calls.remove(id);
      notifyAll();
    }

    /** Waits until no call on its way is more than {@link #MAX_SKEW} older than {@code next}. */
    synchronized void awaitWithin(Instant next) throws InterruptedException {
      while (!calls.isEmpty() && calls.firstEntry().getValue().plus(MAX_SKEW).isBefore(next)) {
        wait();
      }
    }
  }

  /** Sends one call; returns its cost in picodollars (0 when unknown), or -1 when it failed. */
  private long send(DemoCall call) {
    Chat chat = call.chat();
    String answer = null;
    try {
      if (chat != null && !chat.awaitTurn(call.turn(), CALL_TIMEOUT)) {
        LOG.log(Level.WARNING, "demo: the turn before {0} took over {1} s; sending it anyway", call,
            CALL_TIMEOUT.toSeconds());
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + call.path())).timeout(CALL_TIMEOUT)
          .header("content-type", "application/json").header("x-tokenwise-tag", call.tag());
      if (call.dialect() == Dialect.ANTHROPIC) {
        b.header("x-api-key", CLIENT_KEY).header("anthropic-version", "2023-06-01");
      } else {
        b.header("authorization", "Bearer " + CLIENT_KEY);
      }
      HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(call.body())).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        return -1;
      }
      if (call.stream()) {
        StringBuilder text = new StringBuilder();
        long cost = readStream(r.body(), text);
        answer = text.toString();
        return cost;
      }
      return usd(r.headers().firstValue("x-tokenwise-cost-usd").orElse("unknown"));
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "demo: {0} failed: {1}", call, e.toString());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      if (chat != null) {
        chat.finished(call.turn(), answer);
      }
    }
  }

  /**
   * Reads an OpenAI stream: appends the answer's text to {@code text} and returns the cost from the
   * gateway's closing comment line ({@code : x-tokenwise-cost-usd=…}), or -1 when the stream carried
   * an error instead of an answer.
   */
  static long readStream(String body, StringBuilder text) {
    long cost = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(": ") && line.contains(COST_MARK)) {
        int at = line.indexOf(COST_MARK) + COST_MARK.length();
        int end = line.indexOf(' ', at);
        cost = usd(end < 0 ? line.substring(at) : line.substring(at, end));
      } else if (line.startsWith("data: {")) {
        JsonNode chunk = Json.tryParse(line.substring(6).getBytes(StandardCharsets.UTF_8));
        if (chunk == null || chunk.has("error")) {
          return -1;
        }
        text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
      }
    }
    return cost;
  }

  /** A cost header in picodollars; 0 when it says {@code unknown}. */
  static long usd(String value) {
    if (value.isBlank() || value.equals("unknown")) {
      return 0;
    }
    return new BigDecimal(value.strip()).movePointRight(12).longValueExact();
  }
}
