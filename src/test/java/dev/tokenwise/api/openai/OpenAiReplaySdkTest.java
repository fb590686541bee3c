package dev.tokenwise.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tokenwise.core.Json;
import dev.tokenwise.testing.CannedServer;
import dev.tokenwise.testing.WireFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK, reading over loopback HTTP, accumulates each synthesised stream into the
 * same completion it reads from the whole response, and reads each whole response built from a
 * stream as the same completion it accumulates from that stream.
 */
class OpenAiReplaySdkTest {
  private static CannedServer server;
  private static OpenAIClient client;
  private static final ChatCompletionCreateParams PARAMS = ChatCompletionCreateParams.builder()
      .model("gpt-4.1").addUserMessage("What is the weather in Paris?").build();

  @BeforeAll
  static void start() {
    server = CannedServer.start();
    client = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(server.baseUrl() + "/v1").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** What the SDK makes of the whole body and of the stream, as JSON trees. */
  private static JsonNode[] sdkReads(byte[] whole, byte[] stream) {
    server.answer(whole, stream);
    ChatCompletion read = client.chat().completions().create(PARAMS);
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(PARAMS)) {
      chunks.stream().forEach(accumulator::accumulate);
    }
    return new JsonNode[] {tree(read), tree(accumulator.chatCompletion())};
  }

  /**
   * The SDK's completion as JSON. The accumulator always sets {@code tool_calls} (empty when there are
   * none) and never {@code annotations}, while a whole response has the opposite habits, so empty
   * arrays of both are left out before comparing; it also starts both lists of log probabilities
   * empty where a whole response has null, so an empty one counts as null.
   */
  private static JsonNode tree(ChatCompletion completion) {
    JsonNode tree = Json.tryParse(Json.bytes(ObjectMappers.jsonMapper().valueToTree(completion)));
    for (JsonNode choice : tree.get("choices")) {
      ObjectNode message = (ObjectNode) choice.get("message");
      for (String field : new String[] {"tool_calls", "annotations"}) {
        if (message.path(field).isArray() && message.get(field).isEmpty()) {
          message.remove(field);
        }
      }
      if (choice.path("logprobs").isObject()) {
        ObjectNode logprobs = (ObjectNode) choice.get("logprobs");
        for (String field : new String[] {"content", "refusal"}) {
          if (logprobs.path(field).isArray() && logprobs.get(field).isEmpty()) {
            logprobs.putNull(field);
          }
        }
      }
    }
    return tree;
  }

  private static List<JsonNode> wholes() {
    List<JsonNode> wholes = new ArrayList<>(OpenAiWholeToStreamTest.wholes());
    ObjectNode twoChoices = OpenAiWholeToStreamTest.completion(
        OpenAiWholeToStreamTest.message("\"first answer\"", "null", null), "stop");
    ObjectNode second = twoChoices.at("/choices/0").deepCopy();
    second.put("index", 1);
    ((ObjectNode) second.get("message")).put("content", OpenAiWholeToStreamTest.LONG_TEXT);
    second.put("finish_reason", "length");
    twoChoices.withArray("choices").add(second);
    wholes.add(twoChoices);
    return wholes;
  }

  @Test
  void a_synthesised_stream_accumulates_to_the_whole_response_it_came_from() {
    for (JsonNode whole : wholes()) {
      byte[] body = Json.bytes(whole);
      JsonNode[] reads = sdkReads(body, OpenAiWholeToStream.streamFromWhole(body, true));
      assertEquals(reads[0], reads[1]);
      assertTrue(reads[1].get("usage").isObject());
    }
  }

  @Test
  void without_include_usage_the_accumulated_completion_has_no_usage() {
    JsonNode whole = wholes().get(2);
    byte[] body = Json.bytes(whole);
    JsonNode[] reads = sdkReads(body, OpenAiWholeToStream.streamFromWhole(body, false));
    assertFalse(reads[1].has("usage"));
    ((ObjectNode) reads[0]).remove("usage");
    assertEquals(reads[0], reads[1]);
  }

  @Test
  void a_whole_response_built_from_a_reference_stream_reads_as_the_sdk_accumulates_that_stream() {
    for (String name : new String[] {"openai/text-usage.sse", "openai/tool-calls.sse"}) {
      byte[] sse = WireFiles.bytes(name);
      JsonNode[] reads = sdkReads(OpenAiStreamToWhole.wholeFromStream(sse).orElseThrow(), sse);
      assertEquals(reads[1], reads[0], name);
    }
  }
}
