package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, through the gateway, to the simulator. */
class OpenAiSdkIT extends SharedGateway {
  /** gpt-4o-mini list prices, USD per 1M tokens (reference pricing table). */
  private static final BigDecimal INPUT = new BigDecimal("0.15");
  private static final BigDecimal CACHED = new BigDecimal("0.075");
  private static final BigDecimal OUTPUT = new BigDecimal("0.60");
  private static final BigDecimal MILLION = new BigDecimal(1_000_000);

  static OpenAIClient client;

  @BeforeAll
  static void start() {
    client = OpenAIOkHttpClient.builder().baseUrl(h.openAiBase()).apiKey("sk-test-openai").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static ChatCompletionCreateParams.Builder ask(String text) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("You are a terse assistant.").addUserMessage(text);
  }

  @Test
  void text_answer_carries_the_catalog_cost_and_matches_its_log_row() {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
        .create(ask("What is the capital of France?").build());
    ChatCompletion answer = raw.parse();
    String content = answer.choices().get(0).message().content().orElseThrow();
    assertFalse(content.isBlank());

    long prompt = answer.usage().orElseThrow().promptTokens();
    long completion = answer.usage().orElseThrow().completionTokens();
    BigDecimal expected = INPUT.multiply(BigDecimal.valueOf(prompt))
        .add(OUTPUT.multiply(BigDecimal.valueOf(completion))).divide(MILLION);
    BigDecimal header = new BigDecimal(header(raw, "x-tokenwise-cost-usd"));
    assertEquals(0, expected.compareTo(header), "cost header " + header + " vs catalog price x tokens " + expected);
    assertEquals(header(raw, "x-tokenwise-cost-usd"), header(raw, "x-tokenwise-baseline-usd"));
    assertEquals("openai", header(raw, "x-tokenwise-provider"));
    assertEquals("bypass", header(raw, "x-tokenwise-cache"));
    assertEquals("1", header(raw, "x-tokenwise-attempts"));
    assertTrue(header(raw, "x-tokenwise-pattern").startsWith("fp-"));

    RequestRecord row = h.row(header(raw, "x-tokenwise-request-id"));
    assertEquals("openai-chat", row.dialect());
    assertEquals("openai", row.provider());
    assertEquals("gpt-4o-mini", row.modelRequested());
    assertEquals(answer.model(), row.modelUsed());
    assertEquals(prompt, row.inputTokens() + row.cachedInputTokens());
    assertEquals(completion, row.outputTokens());
    assertEquals(0, expected.compareTo(BigDecimal.valueOf(row.costPicoUsd(), 12)));
    assertEquals(200, row.status());
    assertFalse(row.stream());
    assertEquals("stop", row.finishReason());
    assertEquals(header(raw, "x-tokenwise-pattern"), row.pattern());
    assertTrue(row.tenant().startsWith("t-") && !row.tenant().contains("sk-test"));
    assertTrue(row.requestBody().contains("capital of France"));
    assertTrue(row.responseBody().contains(content.substring(0, Math.min(10, content.length()))));
  }

  @Test
  void the_same_template_with_other_values_shares_a_pattern_and_a_tag_overrides_it() throws Exception {
    var a = client.chat().completions().withRawResponse().create(ask("Classify ticket 4411 from ann@example.com").build());
    var b = client.chat().completions().withRawResponse().create(ask("Classify ticket 98 from bob@example.org").build());
    assertEquals(header(a, "x-tokenwise-pattern"), header(b, "x-tokenwise-pattern"));

    var tagged = h.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer sk-x", "content-type", "application/json", "x-tokenwise-tag", "classify-ticket");
    assertEquals(200, tagged.statusCode());
    assertEquals("classify-ticket", tagged.headers().firstValue("x-tokenwise-pattern").orElseThrow());
  }

  @Test
  void a_stream_without_include_usage_hides_the_usage_chunk_yet_is_priced_exactly() {
    ChatCompletion whole = client.chat().completions().create(ask("Tell me about streams").build());
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    String requestId;
    var raw = client.chat().completions().withRawResponse().createStreaming(ask("Tell me about streams").build());
    requestId = header(raw, "x-tokenwise-request-id");
    try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    for (ChatCompletionChunk c : chunks) {
      assertTrue(c.usage().isEmpty(), "the client did not ask for usage, so no chunk may carry it");
      assertFalse(c.choices().isEmpty(), "the usage chunk (choices: []) must not reach this client");
      c.choices().get(0).delta().content().ifPresent(text::append);
    }
    assertEquals(whole.choices().get(0).message().content().orElseThrow(), text.toString());

    RequestRecord row = h.row(requestId);
    assertTrue(row.stream());
    assertFalse(row.usageEstimated(), "the gateway asked for the usage chunk, so usage is the provider's own");
    assertEquals(whole.usage().orElseThrow().promptTokens(), row.inputTokens() + row.cachedInputTokens());
    assertEquals(whole.usage().orElseThrow().completionTokens(), row.outputTokens());
    assertNotNull(row.costPicoUsd());
    assertTrue(row.costPicoUsd() > 0);
    assertTrue(row.responseBody().contains("x-tokenwise-cost-usd="), "the stream ends with the cost comment");
  }

  @Test
  void a_stream_with_include_usage_keeps_its_usage_chunk() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ask("Count to three").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      stream.stream().forEach(chunks::add);
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertTrue(last.choices().isEmpty());
    assertTrue(last.usage().orElseThrow().completionTokens() > 0);
  }

  private static ChatCompletionFunctionTool weatherTool() {
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .build())
        .build()).build();
  }

  @Test
  void tool_calls_arrive_whole_and_streamed() {
    h.sim.on("gpt-4o-mini").toolCall("get_weather", "{\"city\":\"Paris\"}");
    ChatCompletion answer = client.chat().completions().create(ask("Weather in Paris?").addTool(weatherTool()).build());
    var call = answer.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertEquals("get_weather", call.function().name());
    assertEquals("Paris", Json.tryParse(call.function().arguments().getBytes()).path("city").asText());
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, answer.choices().get(0).finishReason());

    StringBuilder args = new StringBuilder();
    String[] name = new String[1];
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ask("Weather in Paris?").addTool(weatherTool()).build())) {
      stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(t -> {
        t.function().flatMap(f -> f.name()).ifPresent(n -> name[0] = n);
        t.function().flatMap(f -> f.arguments()).ifPresent(args::append);
      }))));
    }
    assertEquals("get_weather", name[0]);
    assertEquals("Paris", Json.tryParse(args.toString().getBytes()).path("city").asText());
  }

  @Test
  void json_mode_returns_a_json_object() {
    ChatCompletion answer = client.chat().completions().create(ask("Give me a user record")
        .responseFormat(ResponseFormatJsonObject.builder().build()).build());
    JsonNode json = Json.tryParse(answer.choices().get(0).message().content().orElseThrow().getBytes());
    assertNotNull(json);
    assertTrue(json.isObject());
  }

  @Test
  void provider_errors_reach_the_sdk_as_its_own_exceptions_with_their_status() {
    // the gateway waits out a Retry-After that fits the call's deadline and asks again, up to its attempt
    // budget; what the provider said last then reaches the client, its retry-after included
    h.sim.on("gpt-4o-mini").fail(429, Duration.ofMillis(200));
    RateLimitException limited = assertThrows(RateLimitException.class,
        () -> client.chat().completions().create(ask("hi").build()));
    assertEquals(429, limited.statusCode());
    assertEquals("0.2", limited.headers().values("retry-after").get(0));

    h.sim.reset();
    h.sim.on("gpt-4o-mini").fail(503);
    InternalServerException down = assertThrows(InternalServerException.class,
        () -> client.chat().completions().create(ask("hi").build()));
    assertEquals(503, down.statusCode());
  }

  @Test
  void gateway_errors_reach_the_sdk_in_the_openai_shape() {
    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-9-imaginary")
            .addUserMessage("hi").build()));
    assertEquals(404, missing.statusCode());

    BadRequestException unknown = assertThrows(BadRequestException.class,
        () -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("nosuch/model-x")
            .addUserMessage("hi").build()));
    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.getMessage().contains("nosuch"), unknown.getMessage());
  }

  @Test
  void an_explicit_provider_prefix_routes_to_that_provider_with_its_model_id() {
    var raw = client.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
        .model("groq/llama-3.3-70b-versatile").addUserMessage("hello").build());
    assertEquals("groq", header(raw, "x-tokenwise-provider"));
    raw.parse();
    var call = h.sim.calls().get(h.sim.calls().size() - 1);
    assertEquals("llama-3.3-70b-versatile", Json.tryParse(call.body().getBytes()).path("model").asText());
  }

  private static String header(HttpResponseFor<?> raw, String name) {
    List<String> v = raw.headers().values(name);
    assertFalse(v.isEmpty(), "missing header " + name);
    return v.get(0);
  }
}
