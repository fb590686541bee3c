package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.net.http.HttpResponse;

/**
 * Asks the simulator one question in either dialect, whole or streamed, and returns the answer's
 * text with the output tokens its usage reports: what the answer-quality tests compare.
 */
final class Ask {
  /** The answer's text and its reported output tokens. */
  record Reply(String text, int outputTokens) {}

  private Ask() {}

  /** A chat completions body for one user message; {@code format} is a response_format or null. */
  static ObjectNode openAiBody(String model, String system, String user, JsonNode format) {
    ObjectNode body = Json.object().put("model", model);
    var messages = body.putArray("messages");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    messages.addObject().put("role", "user").put("content", user);
    if (format != null) {
      body.set("response_format", format);
    }
    return body;
  }

  /** A messages body for one user message; {@code schema} (JSON output) may be null. */
  static ObjectNode anthropicBody(String model, String system, String user, JsonNode schema) {
    ObjectNode body = Json.object().put("model", model).put("max_tokens", 1024);
    if (system != null) {
      body.put("system", system);
    }
    body.putArray("messages").addObject().put("role", "user").put("content", user);
    if (schema != null) {
      body.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
    }
    return body;
  }

  static Reply openAi(Simulator sim, ObjectNode body) {
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/v1/chat/completions", Json.string(body), Http.openAi());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = Http.json(r);
    return new Reply(b.at("/choices/0/message/content").asText(), b.at("/usage/completion_tokens").asInt());
  }

  static Reply openAiStream(Simulator sim, ObjectNode body) {
    ObjectNode streamed = body.deepCopy().put("stream", true);
    streamed.putObject("stream_options").put("include_usage", true);
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/v1/chat/completions", Json.string(streamed),
        Http.openAi());
    assertEquals(200, r.statusCode(), r.body());
    StringBuilder text = new StringBuilder();
    int out = -1;
    for (Http.Event e : Http.events(r.body())) {
      if (e.data().equals("[DONE]")) {
        continue;
      }
      JsonNode chunk = e.json();
      text.append(chunk.at("/choices/0/delta/content").asText(""));
      if (chunk.hasNonNull("usage")) {
        out = chunk.get("usage").path("completion_tokens").asInt();
      }
    }
    return new Reply(text.toString(), out);
  }

  static Reply anthropic(Simulator sim, ObjectNode body) {
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/v1/messages", Json.string(body), Http.anthropic());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode b = Http.json(r);
    return new Reply(b.at("/content/0/text").asText(), b.at("/usage/output_tokens").asInt());
  }

  static Reply anthropicStream(Simulator sim, ObjectNode body) {
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/v1/messages",
        Json.string(body.deepCopy().put("stream", true)), Http.anthropic());
    assertEquals(200, r.statusCode(), r.body());
    StringBuilder text = new StringBuilder();
    int out = -1;
    for (Http.Event e : Http.events(r.body())) {
      JsonNode ev = e.json();
      if ("content_block_delta".equals(e.name())) {
        text.append(ev.at("/delta/text").asText(""));
      } else if ("message_delta".equals(e.name())) {
        out = ev.at("/usage/output_tokens").asInt();
      }
    }
    return new Reply(text.toString(), out);
  }

  /** The text of a plain question to a model in the OpenAI dialect. */
  static String text(Simulator sim, String model, String question) {
    return openAi(sim, openAiBody(model, null, question, null)).text();
  }
}
