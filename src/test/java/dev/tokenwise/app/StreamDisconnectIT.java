package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.store.RequestRecord;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Streams that end early: the client leaves, or the provider breaks off. */
class StreamDisconnectIT extends SharedGateway {

  private static HttpRequest stream(String path, String body, String... headers) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.gateway.port() + path)).headers(headers)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  @Test
  void a_client_that_leaves_mid_stream_cancels_the_provider_call_and_is_logged_with_its_tokens() throws Exception {
    h.sim.on("claude-haiku-4-5").reply("one two three four five six seven eight nine ten eleven twelve")
        .streamDelay(Duration.ofMillis(150));
    HttpResponse<InputStream> res = h.http.send(stream("/v1/messages",
        "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}",
        "x-api-key", "sk-ant", "anthropic-version", "2023-06-01", "content-type", "application/json"),
        HttpResponse.BodyHandlers.ofInputStream());
    String id = res.headers().firstValue("x-tokenwise-request-id").orElseThrow();
    BufferedReader reader = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
    int deltas = 0;
    String line;
    while ((line = reader.readLine()) != null && deltas < 2) {
      if (line.contains("text_delta")) {
        deltas++;
      }
    }
    res.body().close();
    var call = h.sim.awaitCall(0, Duration.ofSeconds(5));
    assertTrue(call.cancelled(), "the provider saw the gateway hang up: " + call.state() + " " + h.row(id));

    RequestRecord row = h.row(id);
    assertEquals(499, row.status());
    assertTrue(row.usageEstimated(), row.toString());
    assertTrue(row.inputTokens() > 0, "input is known exactly from message_start");
    assertTrue(row.outputTokens() > 0, "output is estimated from the relayed text");
    assertTrue(row.costPicoUsd() != null && row.costPicoUsd() > 0);
  }

  @Test
  void a_provider_stream_that_breaks_off_ends_with_an_error_event_for_the_client() throws Exception {
    h.sim.on("gpt-4o-mini").dropAfter(3);
    HttpResponse<String> res = h.http.send(stream("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    assertTrue(res.body().contains("\"error\""), res.body());
    assertTrue(!res.body().contains("[DONE]"), "a broken stream must not look complete");
    RequestRecord row = h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    assertEquals(502, row.status());
    assertTrue(row.usageEstimated());
  }
}
