package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The request log as JSON: one call with its trace, cost and tokens, and the newest calls. */
class RequestsApiIT extends SharedGateway {

  private static HttpResponse<String> get(String path) throws Exception {
    return h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_call_is_found_by_its_request_id_with_its_cost_and_trace() throws Exception {
    HttpResponse<String> call = h.post("/v1/chat/completions", "{\"model\":\"claude-haiku-4-5\",\"seed\":7,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json");
    assertEquals(200, call.statusCode(), call.body());
    String id = call.headers().firstValue("x-tokenwise-request-id").orElseThrow();
    h.row(id); // written

    JsonNode row = Json.tryParse(get("/tokenwise/api/requests/" + id).body().getBytes());
    assertEquals(id, row.path("id").asText());
    assertEquals("anthropic", row.path("provider").asText());
    assertEquals(call.headers().firstValue("x-tokenwise-cost-usd").orElseThrow(), row.path("cost_usd").asText());
    assertTrue(row.path("tokens").path("output").asLong() > 0);
    String trace = row.path("trace").toString();
    assertTrue(trace.contains("openai-chat -> anthropic-messages") && trace.contains("seed"), trace);
    assertFalse(row.has("request_body"), "bodies only when asked");
    JsonNode withBodies = Json.tryParse(get("/tokenwise/api/requests/" + id + "?bodies=true").body().getBytes());
    assertTrue(withBodies.path("request_body").asText().contains("hello"));

    JsonNode recent = Json.tryParse(get("/tokenwise/api/requests?limit=5").body().getBytes());
    assertEquals(id, recent.path("data").get(0).path("id").asText());
  }

  @Test
  void an_unknown_id_or_a_bad_limit_is_a_clear_error() throws Exception {
    HttpResponse<String> missing = get("/tokenwise/api/requests/req_nope");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("x-tokenwise-request-id"));
    assertEquals(400, get("/tokenwise/api/requests?limit=9999").statusCode());
    assertEquals(400, get("/tokenwise/api/requests?limit=abc").statusCode());
  }
}
