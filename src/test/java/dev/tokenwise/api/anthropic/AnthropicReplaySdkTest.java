package dev.tokenwise.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.testing.CannedServer;
import dev.tokenwise.testing.WireFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK, reading over loopback HTTP, accumulates each synthesised stream into the
 * same message it reads from the whole response, and reads each whole message built from a stream as
 * the same message it accumulates from that stream.
 */
class AnthropicReplaySdkTest {
  private static CannedServer server;
  private static AnthropicClient client;
  private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
      .model("claude-sonnet-4-6").maxTokens(1024).addUserMessage("What is the weather in Paris?").build();

  @BeforeAll
  static void start() {
    server = CannedServer.start();
    client = AnthropicOkHttpClient.builder().apiKey("sk-ant-test").baseUrl(server.baseUrl()).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** What the SDK makes of the whole body and of the stream, as JSON trees. */
  private static JsonNode[] sdkReads(byte[] whole, byte[] stream) {
    server.answer(whole, stream);
    Message read = client.messages().create(PARAMS);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(PARAMS)) {
      events.stream().forEach(accumulator::accumulate);
    }
    return new JsonNode[] {tree(read), tree(accumulator.message())};
  }

  private static JsonNode tree(Message message) {
    return Json.tryParse(Json.bytes(ObjectMappers.jsonMapper().valueToTree(message)));
  }

  @Test
  void a_synthesised_stream_accumulates_to_the_whole_message_it_came_from() {
    for (JsonNode whole : AnthropicWholeToStreamTest.wholes()) {
      byte[] body = Json.bytes(whole);
      JsonNode[] reads = sdkReads(body, AnthropicWholeToStream.streamFromWhole(body));
      assertEquals(reads[0], reads[1]);
    }
  }

  @Test
  void a_whole_message_built_from_a_reference_stream_reads_as_the_sdk_accumulates_that_stream() {
    for (String name : new String[] {"anthropic/text.sse", "anthropic/tool-use.sse", "anthropic/thinking-tool.sse"}) {
      byte[] sse = WireFiles.bytes(name);
      JsonNode[] reads = sdkReads(AnthropicStreamToWhole.wholeFromStream(sse).orElseThrow(), sse);
      assertEquals(reads[1], reads[0], name);
    }
  }
}
