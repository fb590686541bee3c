package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Call;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each official SDK reaches a model of the other dialect, through the gateway, to the simulator. */
class TranslationIT extends SharedGateway {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    openai = OpenAIOkHttpClient.builder().baseUrl(h.openAiBase()).apiKey("sk-test").maxRetries(0).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(h.anthropicBase()).apiKey("sk-ant").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    anthropic.close();
  }

  private static Call lastCall() {
    return h.sim.calls().get(h.sim.calls().size() - 1);
  }

  private static BigDecimal cost(String usd) {
    return new BigDecimal(usd);
  }

  // ---- OpenAI SDK on a Claude model ---------------------------------------------------------------

  @Test
  void an_openai_client_gets_a_claude_answer_priced_at_claude_prices() {
    var raw = openai.chat().completions().withRawResponse().create(ChatCompletionCreateParams.builder()
        .model("claude-haiku-4-5").addSystemMessage("Be brief.").addUserMessage("What is the capital of France?").build());
    ChatCompletion answer = raw.parse();
    assertFalse(answer.choices().get(0).message().content().orElseThrow().isBlank());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, answer.choices().get(0).finishReason());
    JsonNode sent = Json.tryParse(lastCall().body().getBytes());
    assertEquals("/v1/messages", lastCall().path());
    assertEquals("Be brief.", sent.at("/system/0/text").asText());
    assertTrue(sent.path("max_tokens").asLong() > 0, "max_tokens is never left out");

    RequestRecord row = h.row(raw.headers().values("x-tokenwise-request-id").get(0));
    // claude-haiku-4-5: $1 input, $5 output per 1M tokens
    BigDecimal expected = BigDecimal.ONE.multiply(BigDecimal.valueOf(row.inputTokens()))
        .add(BigDecimal.valueOf(5).multiply(BigDecimal.valueOf(row.outputTokens()))).divide(MILLION);
    assertEquals(0, expected.compareTo(cost(raw.headers().values("x-tokenwise-cost-usd").get(0))));
    assertEquals("anthropic", row.provider());
    assertEquals(answer.usage().orElseThrow().completionTokens(), row.outputTokens());
    assertTrue(raw.headers().values("x-tokenwise-trace").get(0).contains("openai-chat -> anthropic-messages"),
        raw.headers().values("x-tokenwise-trace").toString());
  }

  @Test
  void an_openai_client_streams_from_claude() {
    ChatCompletion whole = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-haiku-4-5").addUserMessage("Tell me about streams").build());
    StringBuilder text = new StringBuilder();
    long[] usage = {-1};
    try (StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude-haiku-4-5").addUserMessage("Tell me about streams")
            .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true)
                .build()).build())) {
      s.stream().forEach(c -> {
        c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
        c.usage().ifPresent(u -> usage[0] = u.completionTokens());
      });
    }
    assertEquals(whole.choices().get(0).message().content().orElseThrow(), text.toString());
    assertEquals(whole.usage().orElseThrow().completionTokens(), usage[0]);
  }

  private static ChatCompletionFunctionTool weather() {
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
        .build()).build();
  }

  @Test
  void an_openai_client_does_a_tool_round_trip_with_claude() {
    h.sim.on("claude-haiku-4-5").toolCall("get_weather", "{\"city\":\"Paris\"}").times(1);
    ChatCompletion first = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-haiku-4-5").addUserMessage("Weather in Paris?").addTool(weather()).build());
    ChatCompletionMessageToolCall call = first.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, first.choices().get(0).finishReason());
    String id = call.asFunction().id();
    assertEquals("Paris", Json.tryParse(call.asFunction().function().arguments().getBytes()).path("city").asText());

    ChatCompletion second = openai.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-haiku-4-5").addUserMessage("Weather in Paris?").addTool(weather())
        .addMessage(first.choices().get(0).message().toParam())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(id).content("18C and cloudy").build())
        .build());
    assertFalse(second.choices().get(0).message().content().orElseThrow().isBlank());
    JsonNode sent = Json.tryParse(lastCall().body().getBytes());
    JsonNode last = sent.path("messages").get(sent.path("messages").size() - 1);
    assertEquals("user", last.path("role").asText());
    assertEquals("tool_result", last.at("/content/0/type").asText());
    assertEquals(id, last.at("/content/0/tool_use_id").asText());
    assertEquals("tool_use", sent.path("messages").get(1).at("/content/0/type").asText());
  }

  @Test
  void an_openai_client_sends_claude_an_image() {
    openai.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-haiku-4-5")
        .addUserMessageOfArrayOfContentParts(List.of(
            ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
            ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                ChatCompletionContentPartImage.ImageUrl.builder().url("data:image/png;base64," + PNG).build()).build())))
        .build());
    JsonNode block = Json.tryParse(lastCall().body().getBytes()).at("/messages/0/content/1");
    assertEquals("image", block.path("type").asText());
    assertEquals("image/png", block.at("/source/media_type").asText());
    assertEquals(PNG, block.at("/source/data").asText());
  }

  @Test
  void claude_errors_reach_the_openai_client_in_its_shape() {
    h.sim.on("claude-haiku-4-5").fail(429, Duration.ofMillis(200)); // waited out twice, then relayed
    RateLimitException limited = assertThrows(RateLimitException.class, () -> openai.chat().completions().create(
        ChatCompletionCreateParams.builder().model("claude-haiku-4-5").addUserMessage("hi").build()));
    assertEquals(429, limited.statusCode());
    h.sim.reset();
    h.sim.on("claude-haiku-4-5").fail(529);
    InternalServerException overloaded = assertThrows(InternalServerException.class, () -> openai.chat().completions()
        .create(ChatCompletionCreateParams.builder().model("claude-haiku-4-5").addUserMessage("hi").build()));
    assertEquals(503, overloaded.statusCode(), "Anthropic's 529 is a 503 for an OpenAI client");
  }

  // ---- Anthropic SDK on an OpenAI model -----------------------------------------------------------

  @Test
  void an_anthropic_client_gets_a_gpt_answer_priced_at_gpt_prices() {
    var raw = anthropic.messages().withRawResponse().create(MessageCreateParams.builder().model("gpt-4o-mini")
        .maxTokens(200).system("Be brief.").addUserMessage("What is the capital of France?").build());
    Message m = raw.parse();
    assertFalse(m.content().get(0).asText().text().isBlank());
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    JsonNode sent = Json.tryParse(lastCall().body().getBytes());
    assertEquals("/v1/chat/completions", lastCall().path());
    assertEquals("system", sent.at("/messages/0/role").asText());
    RequestRecord row = h.row(raw.headers().values("x-tokenwise-request-id").get(0));
    // gpt-4o-mini: $0.15 input, $0.60 output per 1M tokens
    BigDecimal expected = new BigDecimal("0.15").multiply(BigDecimal.valueOf(row.inputTokens()))
        .add(new BigDecimal("0.60").multiply(BigDecimal.valueOf(row.outputTokens()))).divide(MILLION);
    assertEquals(0, expected.compareTo(cost(raw.headers().values("x-tokenwise-cost-usd").get(0))));
    assertEquals(m.usage().inputTokens(), row.inputTokens());
    assertEquals(m.usage().outputTokens(), row.outputTokens());
  }

  @Test
  void an_anthropic_client_streams_from_gpt() {
    Message whole = anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200)
        .addUserMessage("Tell me about streams").build());
    StringBuilder text = new StringBuilder();
    long[] output = {-1};
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(
        MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200).addUserMessage("Tell me about streams")
            .build())) {
      s.stream().forEach(e -> {
        e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text())));
        e.messageDelta().ifPresent(d -> output[0] = d.usage().outputTokens());
      });
    }
    assertEquals(whole.content().get(0).asText().text(), text.toString());
    assertEquals(whole.usage().outputTokens(), output[0]);
  }

  @Test
  void an_anthropic_client_does_a_tool_round_trip_with_gpt() {
    h.sim.on("gpt-4o-mini").toolCall("get_weather", "{\"city\":\"Paris\"}").times(1);
    Tool tool = Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
        .properties(com.anthropic.core.JsonValue.from(Map.of("city", Map.of("type", "string")))).build()).build();
    Message first = anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200)
        .addUserMessage("Weather in Paris?").addTool(tool).build());
    assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
    ContentBlock use = first.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
    String id = use.asToolUse().id();

    Message second = anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200)
        .addTool(tool).addUserMessage("Weather in Paris?")
        .addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(id).content("18C and cloudy").build())))
        .build());
    assertFalse(second.content().isEmpty());
    JsonNode sent = Json.tryParse(lastCall().body().getBytes());
    JsonNode messages = sent.path("messages");
    assertEquals("tool", messages.get(messages.size() - 1).path("role").asText());
    assertEquals(id, messages.get(messages.size() - 1).path("tool_call_id").asText());
    assertEquals(id, messages.get(messages.size() - 2).at("/tool_calls/0/id").asText());
  }

  @Test
  void an_anthropic_client_sends_gpt_an_image() {
    anthropic.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(100)
        .addUserMessageOfContentBlockParams(List.of(
            ContentBlockParam.ofText(TextBlockParam.builder().text("What is this?").build()),
            ContentBlockParam.ofImage(ImageBlockParam.builder().source(Base64ImageSource.builder()
                .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).data(PNG).build()).build())))
        .build());
    JsonNode part = Json.tryParse(lastCall().body().getBytes()).at("/messages/0/content/1");
    assertEquals("image_url", part.path("type").asText());
    assertEquals("data:image/png;base64," + PNG, part.at("/image_url/url").asText());
  }

  @Test
  void gpt_errors_reach_the_anthropic_client_in_its_shape() {
    h.sim.on("gpt-4o-mini").fail(429, Duration.ofMillis(200)); // waited out twice, then relayed
    var limited = assertThrows(com.anthropic.errors.RateLimitException.class, () -> anthropic.messages().create(
        MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(10).addUserMessage("hi").build()));
    assertEquals(429, limited.statusCode());
    h.sim.reset();
    h.sim.on("gpt-4o-mini").fail(503);
    var overloaded = assertThrows(com.anthropic.errors.OverloadedException.class, () -> anthropic.messages()
        .create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(10).addUserMessage("hi").build()));
    assertEquals(529, overloaded.statusCode(), "OpenAI's 503 is Anthropic's overload for an Anthropic client");
  }

  @Test
  void a_translated_stream_that_breaks_off_ends_with_an_error_in_the_clients_dialect() throws Exception {
    h.sim.on("claude-haiku-4-5").dropAfter(4);
    var toOpenAi = h.post("/v1/chat/completions", "{\"model\":\"claude-haiku-4-5\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json");
    assertEquals(200, toOpenAi.statusCode());
    assertTrue(toOpenAi.body().contains("data: {\"error\":"), toOpenAi.body());
    assertFalse(toOpenAi.body().contains("[DONE]"), "a broken stream must not look complete");

    h.sim.reset();
    h.sim.on("gpt-4o-mini").dropAfter(3);
    var toAnthropic = h.post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}",
        "x-api-key", "sk-ant", "anthropic-version", "2023-06-01", "content-type", "application/json");
    assertEquals(200, toAnthropic.statusCode());
    assertTrue(toAnthropic.body().contains("event: error"), toAnthropic.body());
    assertFalse(toAnthropic.body().contains("message_stop"), "a broken stream must not look complete");
    RequestRecord row = h.row(toAnthropic.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    assertEquals(502, row.status());
    assertTrue(row.usageEstimated());
  }

  @Test
  void an_option_the_target_cannot_honour_is_refused_naming_it() throws Exception {
    var res = h.post("/v1/chat/completions", "{\"model\":\"claude-haiku-4-5\",\"n\":3,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json");
    assertEquals(400, res.statusCode(), res.body());
    assertEquals("n", Json.tryParse(res.body().getBytes()).at("/error/param").asText());
    assertTrue(h.sim.calls().isEmpty(), "nothing reached the provider");
  }
}
