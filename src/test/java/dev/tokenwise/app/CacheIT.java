package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact response cache through the gateway, with the official SDKs: repeats are answered without a
 * provider call, in the form the client asked for (whole or streamed, from a whole or a streamed
 * original), per tenant, with the directives, the admin API and the metrics.
 */
class CacheIT {
  @TempDir static Path dir;
  static GatewayHarness h;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(), false, null),
        List.of(Map.of("match", Map.of("tag", "faq"), "cache", Map.of("exact", true, "ttl", "1h")),
            Map.of("match", Map.of("tag", "routed"), "route", Map.of("model", "claude-haiku-4-5"),
                "cache", Map.of("exact", true))));
    openai = OpenAIOkHttpClient.builder().baseUrl(h.openAiBase()).apiKey("sk-cache-a").maxRetries(0)
        .putHeader("x-tokenwise-tag", "faq").build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(h.anthropicBase()).apiKey("sk-ant-cache-a").maxRetries(0)
        .putHeader("x-tokenwise-tag", "faq").build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    anthropic.close();
    h.close();
  }

  private static ChatCompletionCreateParams ask(String question) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").temperature(0.0)
        .addSystemMessage("Answer in one sentence.").addUserMessage(question).build();
  }

  private static MessageCreateParams askClaude(String question) {
    // this SDK version has no temperature setter: the field goes in as an extra body property
    return MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(200)
        .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0))
        .system("Answer in one sentence.").addUserMessage(question).build();
  }

  private static long calls() {
    return h.sim.calls().size();
  }

  private static String header(HttpResponseFor<?> r, String name) {
    return r.headers().values(name).isEmpty() ? null : r.headers().values(name).get(0);
  }

  @Test
  void a_repeated_openai_call_is_answered_once_and_costs_nothing_the_second_time() {
    long before = calls();
    long kept = h.stored("faq");
    HttpResponseFor<ChatCompletion> first = openai.chat().completions().withRawResponse().create(ask("Where is Lyon?"));
    h.awaitStored("faq", kept + 1);
    HttpResponseFor<ChatCompletion> second = openai.chat().completions().withRawResponse().create(ask("Where is Lyon?"));
    assertEquals(before + 1, calls(), "one provider call for two requests");
    assertEquals("miss", header(first, "x-tokenwise-cache"));
    assertEquals("hit-exact", header(second, "x-tokenwise-cache"));
    ChatCompletion a = first.parse();
    ChatCompletion b = second.parse();
    assertEquals(a.choices().get(0).message().content(), b.choices().get(0).message().content());
    assertEquals(a.usage(), b.usage());
    assertEquals(0, new BigDecimal(header(second, "x-tokenwise-cost-usd")).signum());
    BigDecimal baseline = new BigDecimal(header(second, "x-tokenwise-baseline-usd"));
    assertEquals(new BigDecimal(header(first, "x-tokenwise-cost-usd")), baseline, "the saving is what the call cost");
    assertEquals("0", header(second, "x-tokenwise-attempts"));

    RequestRecord row = h.row(header(second, "x-tokenwise-request-id"));
    assertEquals("hit-exact", row.cacheStatus());
    assertEquals(0L, row.costPicoUsd());
    assertEquals(h.row(header(first, "x-tokenwise-request-id")).costPicoUsd(), row.baselinePicoUsd());
    assertTrue(row.trace().contains("savings: cache"), row.trace());
  }

  @Test
  void a_streamed_answer_serves_a_whole_call_and_a_whole_answer_serves_a_stream() {
    long before = calls();
    long kept = h.stored("faq");
    ChatCompletionAccumulator streamed = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams q1 = ask("What is the tallest mountain in Europe?").toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (var s = openai.chat().completions().createStreaming(q1)) {
      s.stream().forEach(streamed::accumulate);
    }
    h.awaitStored("faq", kept + 1);
    ChatCompletion whole = openai.chat().completions().create(ask("What is the tallest mountain in Europe?"));
    assertEquals(before + 1, calls());
    assertEquals(streamed.chatCompletion().choices().get(0).message().content(),
        whole.choices().get(0).message().content());
    assertEquals(streamed.chatCompletion().usage(), whole.usage());

    ChatCompletion original = openai.chat().completions().create(ask("How deep is Lake Baikal?"));
    h.awaitStored("faq", kept + 2);
    ChatCompletionAccumulator replayed = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams q2 = ask("How deep is Lake Baikal?").toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (var s = openai.chat().completions().createStreaming(q2)) {
      s.stream().forEach(replayed::accumulate);
    }
    assertEquals(before + 2, calls());
    assertEquals(original.choices().get(0).message().content(),
        replayed.chatCompletion().choices().get(0).message().content());
    assertEquals(original.usage(), replayed.chatCompletion().usage());
  }

  @Test
  void anthropic_clients_get_cached_messages_whole_and_streamed() {
    long before = calls();
    long kept = h.stored("faq");
    Message first = anthropic.messages().create(askClaude("Name the largest desert."));
    h.awaitStored("faq", kept + 1);
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(askClaude("Name the largest desert."))) {
      s.stream().forEach(acc::accumulate);
    }
    assertEquals(before + 1, calls());
    Message replayed = acc.message();
    assertEquals(first.content(), replayed.content());
    assertEquals(first.usage().inputTokens(), replayed.usage().inputTokens());
    assertEquals(first.usage().outputTokens(), replayed.usage().outputTokens());
    assertEquals(first.stopReason(), replayed.stopReason());

    MessageAccumulator streamedFirst = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(askClaude("Name a long river."))) {
      s.stream().forEach(streamedFirst::accumulate);
    }
    h.awaitStored("faq", kept + 2);
    Message whole = anthropic.messages().create(askClaude("Name a long river."));
    assertEquals(before + 2, calls());
    assertEquals(streamedFirst.message().content(), whole.content());
  }

  @Test
  void a_call_routed_to_another_format_is_cached_in_the_clients_format() throws Exception {
    long before = calls();
    long kept = h.stored("routed");
    ChatCompletionAccumulator streamed = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams q = ask("Which ocean is the deepest?").toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    {
      OpenAIClient routed = OpenAIOkHttpClient.builder().baseUrl(h.openAiBase()).apiKey("sk-cache-a").maxRetries(0)
          .putHeader("x-tokenwise-tag", "routed").build();
      try (var s = routed.chat().completions().createStreaming(q)) {
        s.stream().forEach(streamed::accumulate);
      }
      h.awaitStored("routed", kept + 1);
      HttpResponseFor<ChatCompletion> whole = routed.chat().completions().withRawResponse()
          .create(ask("Which ocean is the deepest?"));
      assertEquals(before + 1, calls());
      assertEquals("hit-exact", header(whole, "x-tokenwise-cache"));
      assertTrue(header(whole, "x-tokenwise-model").startsWith("claude-haiku-4-5"), header(whole, "x-tokenwise-model"));
      assertEquals(streamed.chatCompletion().choices().get(0).message().content(),
          whole.parse().choices().get(0).message().content());
      assertEquals("/v1/messages", h.sim.calls().get(h.sim.calls().size() - 1).path(), "the provider spoke Anthropic");
      routed.close();
    }
  }

  @Test
  void one_tenants_answer_never_serves_another_tenant() throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Tenant check\"}]}";
    long before = calls();
    long kept = h.stored("faq");
    var a1 = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-tenant-one", "x-tokenwise-tag", "faq");
    h.awaitStored("faq", kept + 1);
    var b1 = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-tenant-two", "x-tokenwise-tag", "faq");
    h.awaitStored("faq", kept + 2);
    var a2 = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-tenant-one", "x-tokenwise-tag", "faq");
    assertEquals(before + 2, calls(), "each tenant pays for its own first answer");
    assertEquals("miss", a1.headers().firstValue("x-tokenwise-cache").orElseThrow());
    assertEquals("miss", b1.headers().firstValue("x-tokenwise-cache").orElseThrow());
    assertEquals("hit-exact", a2.headers().firstValue("x-tokenwise-cache").orElseThrow());
  }

  @Test
  void sampled_calls_are_bypassed_and_the_directives_are_obeyed() throws Exception {
    String sampled = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.9,\"messages\":[{\"role\":\"user\",\"content\":\"A poem\"}]}";
    var p = h.post("/v1/chat/completions", sampled, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    assertEquals("bypass", p.headers().firstValue("x-tokenwise-cache").orElseThrow());
    assertTrue(p.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("temperature 0.9"));

    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Directive check\"}]}";
    long before = calls();
    long kept = h.stored("faq");
    h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    h.awaitStored("faq", kept + 1);
    var noStore = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq",
        "x-tokenwise-cache", "no-store");
    var refresh = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq",
        "x-tokenwise-cache", "refresh");
    h.awaitStored("faq", kept + 2);
    var hit = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    assertEquals(before + 3, calls());
    assertEquals("bypass", noStore.headers().firstValue("x-tokenwise-cache").orElseThrow());
    assertEquals("miss", refresh.headers().firstValue("x-tokenwise-cache").orElseThrow());
    assertEquals("hit-exact", hit.headers().firstValue("x-tokenwise-cache").orElseThrow());

    var bad = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-cache", "forever");
    assertEquals(400, bad.statusCode());
    JsonNode err = Json.tryParse(bad.body().getBytes(StandardCharsets.UTF_8));
    assertTrue(err.path("error").path("message").asText().contains("X-Tokenwise-Cache must be no-store or refresh"),
        bad.body());
    var badAnthropic = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,\"messages\":[]}",
        "x-api-key", "sk-ant-x", "anthropic-version", "2023-06-01", "x-tokenwise-cache", "sometimes");
    assertEquals(400, badAnthropic.statusCode());
    assertEquals("error", Json.tryParse(badAnthropic.body().getBytes(StandardCharsets.UTF_8)).path("type").asText());
  }

  @Test
  void the_admin_api_shows_the_figures_and_drops_a_pattern() throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Admin check\"}]}";
    long kept = h.stored("faq");
    h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    h.awaitStored("faq", kept + 1);
    var hit = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    assertEquals("hit-exact", hit.headers().firstValue("x-tokenwise-cache").orElseThrow());

    JsonNode report = Json.tryParse(get("/tokenwise/api/cache").body().getBytes(StandardCharsets.UTF_8));
    JsonNode faq = report.path("patterns").path("faq");
    assertTrue(faq.path("hit_exact").asLong() >= 1, report.toString());
    assertTrue(faq.path("hit_rate").asDouble() > 0, report.toString());
    assertTrue(new BigDecimal(faq.path("saved_usd").asText()).signum() > 0, report.toString());
    assertTrue(report.path("entries").asLong() >= 1, report.toString());

    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("tokenwise_cache_requests_total{pattern=\"faq\",result=\"hit-exact\"}"), metrics);
    assertTrue(metrics.contains("tokenwise_cache_saved_usd_total{pattern=\"faq\"}"), metrics);

    var missing = send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/tokenwise/api/cache")).DELETE());
    assertEquals(400, missing.statusCode());
    var dropped = send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/tokenwise/api/cache?pattern=faq")).DELETE());
    assertEquals(200, dropped.statusCode());
    assertTrue(Json.tryParse(dropped.body().getBytes(StandardCharsets.UTF_8)).path("removed").asLong() >= 1, dropped.body());
    var after = h.post("/v1/chat/completions", body, "authorization", "Bearer sk-cache-a", "x-tokenwise-tag", "faq");
    assertEquals("miss", after.headers().firstValue("x-tokenwise-cache").orElseThrow());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return h.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
