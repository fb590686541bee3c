package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Condenses the turns a trim drops into one short text, written by a cheap model through the configured
 * providers with the caller's own credentials.
 *
 * <p>Design note: a conversation sends the same dropped prefix on many consecutive calls (the trimming
 * stage only advances it every few turns), so summaries are kept by a hash of the caller, the model and
 * the dropped messages' JSON, least recently used out. The lock guards only the map, never the upstream
 * call; two calls that miss at once both summarise and the later answer wins, which costs one summary and
 * keeps I/O out of the lock. The call runs on its own virtual thread so that a slow summariser is given up
 * after {@code timeout} even when the provider's own timeout is longer.
 */
final class Summarizer {
  static final String INSTRUCTION =
      "Summarise this conversation in at most 120 words, keeping every fact a later turn may need";
  static final int MAX_TOKENS = 300;
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  private final Providers providers;
  private final int capacity;
  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, String> cache = new LinkedHashMap<>(64, 0.75f, true);

  /** A summarizer with room for 1,024 summaries that waits at most 15 seconds for one. */
  Summarizer(Providers providers) {
    this(providers, 1024, Duration.ofSeconds(15));
  }

  Summarizer(Providers providers, int capacity, Duration timeout) {
    this.providers = providers;
    this.capacity = capacity;
    this.timeout = timeout;
  }

  /**
   * A summary and where it came from.
   *
   * @param text the summary
   * @param cached whether it was reused rather than asked for
   * @param provider the provider that wrote it
   * @param model the model id sent to it
   * @param inputTokens input tokens the summarising call used (0 when cached)
   * @param outputTokens output tokens the summarising call used (0 when cached)
   */
  record Summary(String text, boolean cached, String provider, String model, long inputTokens,
      long outputTokens) {}

  /** Why no summary could be had; the message is safe to show in a trace. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The summary of {@code dropped}, from the cache or from {@code model}.
   *
   * @throws Failure when the model is unknown, the call fails, times out or answers without text
   */
  Summary summarize(String model, List<JsonNode> dropped, Credentials credentials,
      Map<String, List<String>> passthrough) throws Failure {
    Route route;
    try {
      route = providers.resolve(model);
    } catch (GatewayException e) {
      throw new Failure(e.getMessage());
    }
    String key = key(credentials.tenant(), route, dropped);
    String hit = cached(key);
    if (hit != null) {
      return new Summary(hit, true, route.providerName(), route.model(), 0, 0);
    }
    boolean anthropic = route.provider().kind() == ProviderConfig.Kind.ANTHROPIC;
    byte[] body = Json.bytes(request(route.model(), transcript(dropped), anthropic));
    String path = anthropic ? "/v1/messages" : "/chat/completions";
    JsonNode answer = call(route, path, body, credentials, passthrough);
    String text = anthropic ? anthropicText(answer) : openAiText(answer);
    if (text == null || text.isBlank()) {
      throw new Failure(route.providerName() + "/" + route.model() + " answered without text");
    }
    text = text.strip();
    JsonNode usage = answer.path("usage");
    long in = usage.path(anthropic ? "input_tokens" : "prompt_tokens").asLong(0);
    long out = usage.path(anthropic ? "output_tokens" : "completion_tokens").asLong(0);
    remember(key, text);
    return new Summary(text, false, route.providerName(), route.model(), in, out);
  }

  /** How many summaries are kept now. */
  int size() {
    lock.lock();
    try {
      return cache.size();
    } finally {
      lock.unlock();
    }
  }

  private JsonNode call(Route route, String path, byte[] body, Credentials credentials,
      Map<String, List<String>> passthrough) throws Failure {
    String name = route.providerName() + "/" + route.model();
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    AtomicReference<UpstreamReply> open = new AtomicReference<>();
    Thread worker = Thread.ofVirtual().name("summarize-" + route.providerName()).start(() -> {
      try (UpstreamReply reply = providers.call(route, path, body, credentials, passthrough, false)) {
        open.set(reply);
        byte[] bytes = reply.readAll(MAX_ANSWER_BYTES);
        if (reply.status() != 200) {
          result.completeExceptionally(new Failure(name + " answered status " + reply.status()));
          return;
        }
        JsonNode json = Json.tryParse(bytes);
        if (json == null || !json.isObject()) {
          result.completeExceptionally(new Failure(name + " answered with a body that is not JSON"));
          return;
        }
        result.complete(json);
      } catch (GatewayException e) {
        result.completeExceptionally(new Failure(e.getMessage()));
      } catch (java.io.IOException | RuntimeException e) {
        result.completeExceptionally(new Failure(name + ": " + e));
      }
    });
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      UpstreamReply reply = open.get();
      if (reply != null) {
        reply.cancel();
      }
      worker.interrupt();
      throw new Failure(name + " gave no summary within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Failure f ? f : new Failure(name + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.interrupt();
      throw new Failure(name + ": interrupted while waiting for the summary");
    }
  }

  private static ObjectNode request(String model, String transcript, boolean anthropic) {
    ObjectNode req = Json.object();
    req.put("model", model);
    req.put("max_tokens", MAX_TOKENS);
    ArrayNode messages = Json.MAPPER.createArrayNode();
    if (anthropic) {
      req.put("system", INSTRUCTION);
    } else {
      messages.addObject().put("role", "system").put("content", INSTRUCTION);
    }
    messages.addObject().put("role", "user").put("content", transcript);
    req.set("messages", messages);
    return req;
  }

  /** The messages as plain text, one paragraph each: {@code role: text}, tool calls and results marked. */
  static String transcript(List<JsonNode> messages) {
    StringBuilder out = new StringBuilder();
    for (JsonNode m : messages) {
      if (!out.isEmpty()) {
        out.append("\n\n");
      }
      out.append(m.path("role").asText("unknown")).append(": ");
      int start = out.length();
      appendContent(out, m.path("content"));
      for (JsonNode call : m.path("tool_calls")) {
        separate(out, start);
        JsonNode fn = call.path("function");
        out.append("[tool call ").append(fn.path("name").asText()).append(' ')
            .append(fn.path("arguments").asText()).append(']');
      }
      if (m.has("function_call")) {
        separate(out, start);
        out.append("[tool call ").append(m.path("function_call").path("name").asText()).append(' ')
            .append(m.path("function_call").path("arguments").asText()).append(']');
      }
    }
    return out.toString();
  }

  private static void appendContent(StringBuilder out, JsonNode content) {
    if (content.isTextual()) {
      out.append(content.textValue());
      return;
    }
    int start = out.length();
    for (JsonNode block : content) {
      String type = block.path("type").asText("");
      switch (type) {
        case "text" -> {
          separate(out, start);
          out.append(block.path("text").asText());
        }
        case "tool_use" -> {
          separate(out, start);
          out.append("[tool call ").append(block.path("name").asText()).append(' ')
              .append(Json.string(block.path("input"))).append(']');
        }
        case "tool_result" -> {
          separate(out, start);
          out.append("[tool result: ");
          appendContent(out, block.path("content"));
          out.append(']');
        }
        case "" -> { }
        default -> {
          separate(out, start);
          out.append('[').append(type).append(']');
        }
      }
    }
  }

  private static void separate(StringBuilder out, int start) {
    if (out.length() > start) {
      out.append(' ');
    }
  }

  private static String openAiText(JsonNode answer) {
    JsonNode content = answer.path("choices").path(0).path("message").path("content");
    if (content.isTextual()) {
      return content.textValue();
    }
    return joinTexts(content);
  }

  private static String anthropicText(JsonNode answer) {
    return joinTexts(answer.path("content"));
  }

  private static String joinTexts(JsonNode blocks) {
    StringBuilder out = new StringBuilder();
    for (JsonNode block : blocks) {
      if (block.path("type").asText("").equals("text")) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(block.path("text").asText());
      }
    }
    return out.toString();
  }

  private static String key(String tenant, Route route, List<JsonNode> dropped) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((tenant + "\u0000" + route.providerName() + "\u0000" + route.model() + "\u0000")
          .getBytes(StandardCharsets.UTF_8));
      for (JsonNode m : dropped) {
        sha.update(Json.bytes(m));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private String cached(String key) {
    lock.lock();
    try {
      return cache.get(key);
    } finally {
      lock.unlock();
    }
  }

  private void remember(String key, String text) {
    lock.lock();
    try {
      cache.put(key, text);
      while (cache.size() > capacity) {
        cache.remove(cache.keySet().iterator().next());
      }
    } finally {
      lock.unlock();
    }
  }
}
