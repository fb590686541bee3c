package dev.tokenwise.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.provider.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt's timeouts against the simulator. Calls run on a virtual thread, as requests do in the
 * gateway: that is where an interrupted socket read gives up at once.
 */
class HttpUpstreamTest {
  private static final byte[] STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
      .getBytes(StandardCharsets.UTF_8);
  private final Simulator sim = Simulator.start(0);
  private final HttpUpstream http = new HttpUpstream();

  @AfterEach
  void close() {
    http.close();
    sim.close();
  }

  private UpstreamRequest request(Duration firstByte, Duration idle, Duration total, Duration left) {
    ProviderConfig p = new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", null, total,
        Map.of(), List.of(), Duration.ofSeconds(2), firstByte, idle);
    return new UpstreamRequest(new Route(p, "gpt-4o-mini"), "/chat/completions", "POST",
        Map.of("authorization", "Bearer sk-test", "content-type", "application/json"), STREAM,
        UpstreamRequest.Timeouts.of(p, left));
  }

  private static <T> T onVirtualThread(Callable<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
    }
  }

  @Test
  void a_provider_slow_to_its_first_byte_times_out_and_leaves_no_interrupt_behind() throws Exception {
    sim.on("gpt-4o-mini").stall(Duration.ofSeconds(5));
    long start = System.nanoTime();
    String[] after = new String[1];
    GatewayException e = assertThrows(GatewayException.class, () -> onVirtualThread(() -> {
      try {
        return http.send(request(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(30), null));
      } finally {
        after[0] = "interrupted=" + Thread.currentThread().isInterrupted();
      }
    }));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(ErrorKind.UPSTREAM_TIMEOUT, e.kind());
    assertEquals("openai: no response headers within 200 ms (first_byte_timeout); raise"
        + " providers.openai.first_byte_timeout", e.getMessage());
    assertTrue(millis < 2000, "cut after " + millis + " ms");
    assertEquals("interrupted=false", after[0]);
  }

  @Test
  void a_stream_that_pauses_longer_than_the_idle_timeout_is_cut() throws Exception {
    sim.on("gpt-4o-mini").reply("one two three four five six").streamDelay(Duration.ofSeconds(3));
    UpstreamReply reply = onVirtualThread(() -> http.send(
        request(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(30), null)));
    assertEquals(200, reply.status());
    long start = System.nanoTime();
    assertThrows(Exception.class, () -> onVirtualThread(() -> reply.body().readAllBytes()));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 2500, "cut after " + millis + " ms");
    assertEquals("nothing received for 300 ms (idle_timeout)", reply.failure());
    reply.close();
  }

  @Test
  void pauses_longer_than_the_first_byte_timeout_are_fine_once_the_stream_flows() throws Exception {
    sim.on("gpt-4o-mini").reply("hi").streamDelay(Duration.ofMillis(400));
    String body = onVirtualThread(() -> {
      try (UpstreamReply reply = http.send(request(Duration.ofMillis(300), Duration.ofSeconds(5),
          Duration.ofSeconds(30), null))) {
        String text = new String(reply.body().readAllBytes(), StandardCharsets.UTF_8);
        assertNull(reply.failure());
        return text;
      }
    });
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
  }

  @Test
  void the_attempt_ends_at_its_total_timeout_or_the_calls_deadline() throws Exception {
    sim.on("gpt-4o-mini").reply("one two three four five six seven eight nine ten").streamDelay(Duration.ofMillis(100));
    UpstreamReply reply = onVirtualThread(() -> http.send(
        request(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500), null)));
    assertThrows(Exception.class, () -> onVirtualThread(() -> reply.body().readAllBytes()));
    assertEquals("not done within 500 ms (timeout)", reply.failure());
    reply.close();

    sim.reset();
    sim.on("gpt-4o-mini").stall(Duration.ofSeconds(5));
    GatewayException e = assertThrows(GatewayException.class, () -> onVirtualThread(() -> http.send(
        request(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(250)))));
    assertTrue(e.getMessage().startsWith("openai: the call's deadline (retry.deadline) ran out after 250 ms of this"
        + " attempt"), e.getMessage());
  }

  @Test
  void an_answer_within_its_limits_is_untouched() throws Exception {
    UpstreamReply reply = onVirtualThread(() -> http.send(
        request(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60))));
    byte[] body = onVirtualThread(() -> reply.body().readAllBytes());
    reply.close();
    assertFalse(body.length == 0);
    assertNull(reply.failure());
    assertEquals(0, http.watched(), "an attempt that ended leaves no deadline behind");
  }

  @Test
  void many_attempts_share_one_timer_and_leave_nothing_behind() throws Exception {
    for (int i = 0; i < 50; i++) {
      UpstreamReply reply = onVirtualThread(() -> http.send(
          request(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), null)));
      onVirtualThread(() -> reply.body().readAllBytes());
      reply.close();
    }
    assertEquals(0, http.watched());
  }
}
