package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official SDKs read the simulator's answers without complaint, whole and streamed. */
class SimSdkTest {
  private static Simulator sim;
  private static OpenAIClient openAi;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
    openAi = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(sim.baseUrl() + "/v1")
        .maxRetries(0).build();
    anthropic = AnthropicOkHttpClient.builder().apiKey("sk-ant-test").baseUrl(sim.baseUrl())
        .maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openAi.close();
    anthropic.close();
    sim.close();
  }

  @Test
  void openai_java_reads_whole_and_streamed_completions_with_usage() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Say hi").build();
    ChatCompletion whole = openAi.chat().completions().create(params);
    String text = whole.choices().get(0).message().content().orElseThrow();
    assertEquals("gpt-4o-mini-2024-07-18", whole.model());
    assertEquals(Tokens.count(text), whole.usage().orElseThrow().completionTokens());

    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams streamed = params.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s =
        openAi.chat().completions().createStreaming(streamed)) {
      s.stream().forEach(acc::accumulate);
    }
    ChatCompletion rebuilt = acc.chatCompletion();
    assertEquals(text, rebuilt.choices().get(0).message().content().orElseThrow());
    assertEquals(whole.usage().orElseThrow().totalTokens(), rebuilt.usage().orElseThrow().totalTokens());
  }

  @Test
  void anthropic_java_reads_whole_and_streamed_messages_with_usage() {
    MessageCreateParams params = MessageCreateParams.builder()
        .model("claude-sonnet-4-6").maxTokens(256).addUserMessage("Hello, Claude").build();
    Message whole = anthropic.messages().create(params);
    String text = whole.content().get(0).asText().text();
    assertTrue(!text.isBlank());
    assertEquals(Tokens.count("Hello, Claude"), whole.usage().inputTokens());

    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params)) {
      s.stream().forEach(acc::accumulate);
    }
    Message rebuilt = acc.message();
    assertEquals(text, rebuilt.content().get(0).asText().text());
    assertEquals(whole.usage().outputTokens(), rebuilt.usage().outputTokens());
    assertEquals(whole.usage().inputTokens(), rebuilt.usage().inputTokens());
  }
}
