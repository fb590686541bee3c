package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK, through the gateway, to the simulator. */
class AnthropicSdkIT extends SharedGateway {
  /** claude-haiku-4-5 list prices, USD per 1M tokens (reference pricing table). */
  private static final BigDecimal INPUT = new BigDecimal("1.00");
  private static final BigDecimal OUTPUT = new BigDecimal("5.00");
  private static final BigDecimal MILLION = new BigDecimal(1_000_000);

  static AnthropicClient client;

  @BeforeAll
  static void start() {
    client = AnthropicOkHttpClient.builder().baseUrl(h.anthropicBase()).apiKey("sk-ant-test").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  private static MessageCreateParams.Builder ask(String text) {
    return MessageCreateParams.builder().model("claude-haiku-4-5").maxTokens(256).system("Be brief.")
        .addUserMessage(text);
  }

  @Test
  void text_answer_carries_the_catalog_cost_and_matches_its_log_row() {
    var raw = client.messages().withRawResponse().create(ask("What is the capital of France?").build());
    Message m = raw.parse();
    String text = m.content().get(0).asText().text();
    assertFalse(text.isBlank());
    long in = m.usage().inputTokens();
    long out = m.usage().outputTokens();
    BigDecimal expected = INPUT.multiply(BigDecimal.valueOf(in)).add(OUTPUT.multiply(BigDecimal.valueOf(out)))
        .divide(MILLION);
    BigDecimal header = new BigDecimal(raw.headers().values("x-tokenwise-cost-usd").get(0));
    assertEquals(0, expected.compareTo(header), header + " vs " + expected);
    assertEquals("anthropic", raw.headers().values("x-tokenwise-provider").get(0));

    RequestRecord row = h.row(raw.headers().values("x-tokenwise-request-id").get(0));
    assertEquals("anthropic-messages", row.dialect());
    assertEquals(in, row.inputTokens());
    assertEquals(out, row.outputTokens());
    assertEquals("end_turn", row.finishReason());
    assertEquals(0, expected.compareTo(BigDecimal.valueOf(row.costPicoUsd(), 12)));
    // the key reached the provider, and it is in no stored row
    var sent = h.sim.calls().get(h.sim.calls().size() - 1).headers();
    assertTrue(sent.containsKey("x-api-key") || sent.containsKey("authorization"), sent.toString());
    assertFalse(row.toString().contains("sk-ant-test"));
  }

  @Test
  void a_streamed_answer_is_priced_once_not_summed_from_start_and_delta() {
    Message whole = client.messages().create(ask("Tell me about streams").build());
    StringBuilder text = new StringBuilder();
    var raw = client.messages().withRawResponse().createStreaming(ask("Tell me about streams").build());
    String id = raw.headers().values("x-tokenwise-request-id").get(0);
    try (StreamResponse<RawMessageStreamEvent> stream = raw.parse()) {
      stream.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
    }
    assertEquals(whole.content().get(0).asText().text(), text.toString());
    RequestRecord row = h.row(id);
    assertTrue(row.stream());
    assertFalse(row.usageEstimated());
    assertEquals(whole.usage().inputTokens(), row.inputTokens());
    assertEquals(whole.usage().outputTokens(), row.outputTokens());
  }

  @Test
  void tool_use_arrives_whole_and_streamed() {
    h.sim.on("claude-haiku-4-5").toolCall("get_weather", "{\"city\":\"Paris\"}");
    Tool tool = Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
        .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();
    Message m = client.messages().create(ask("Weather in Paris?").addTool(tool).build());
    assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
    ContentBlock use = m.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
    assertEquals("get_weather", use.asToolUse().name());
    assertTrue(String.valueOf(use.asToolUse()._input()).contains("Paris"), String.valueOf(use.asToolUse()._input()));

    StringBuilder json = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        ask("Weather in Paris?").addTool(tool).build())) {
      stream.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().inputJson()
          .ifPresent(j -> json.append(j.partialJson()))));
    }
    assertTrue(json.toString().contains("Paris"), json.toString());
  }

  @Test
  void count_tokens_and_bearer_auth_both_work() {
    AnthropicClient bearer = AnthropicOkHttpClient.builder().baseUrl(h.anthropicBase()).authToken("sk-ant-bearer")
        .maxRetries(0).build();
    try {
      MessageTokensCount count = bearer.messages().countTokens(MessageCountTokensParams.builder()
          .model("claude-haiku-4-5").addUserMessage("Hello, Claude").build());
      assertTrue(count.inputTokens() > 0);
      var call = h.sim.calls().get(h.sim.calls().size() - 1);
      assertTrue(call.headers().containsKey("authorization"), "a Bearer client is forwarded as Bearer");
      assertTrue(call.headers().containsKey("anthropic-version"), "the SDK's version header is forwarded");
    } finally {
      bearer.close();
    }
  }

  @Test
  void provider_errors_reach_the_sdk_as_its_own_exceptions_with_their_status() {
    h.sim.on("claude-haiku-4-5").fail(429, Duration.ofMillis(300)); // waited out twice, then relayed
    RateLimitException limited = assertThrows(RateLimitException.class, () -> client.messages().create(ask("hi").build()));
    assertEquals(429, limited.statusCode());
    h.sim.reset();
    h.sim.on("claude-haiku-4-5").fail(529);
    OverloadedException overloaded = assertThrows(OverloadedException.class,
        () -> client.messages().create(ask("hi").build()));
    assertEquals(529, overloaded.statusCode());
    h.sim.reset();
    BadRequestException bad = assertThrows(BadRequestException.class, () -> client.messages().create(
        MessageCreateParams.builder().model("nosuch/claude").maxTokens(10).addUserMessage("hi").build()));
    assertTrue(bad.getMessage().contains("nosuch"));
  }

  @Test
  void a_missing_key_is_a_401_in_the_anthropic_shape() throws Exception {
    var res = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "anthropic-version", "2023-06-01",
        "content-type", "application/json");
    assertEquals(401, res.statusCode());
    assertTrue(res.body().contains("\"authentication_error\""), res.body());
  }

  @Test
  void unauthorized_from_the_provider_is_the_sdk_unauthorized_exception() {
    h.sim.on("claude-haiku-4-5").fail(401);
    assertThrows(UnauthorizedException.class, () -> client.messages().create(ask("hi").build()));
  }
}
