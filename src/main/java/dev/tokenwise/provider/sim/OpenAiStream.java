package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat completion stream of openai.md §5: a first chunk with the role, content or tool-call
 * fragments, a chunk with the finish reason, the usage chunk ({@code choices: []}) only when
 * {@code stream_options.include_usage} is true, then {@code data: [DONE]}.
 */
final class OpenAiStream {
  private static final int ARGUMENT_FRAGMENT = 12;

  private OpenAiStream() {}

  static void write(Exchange ex, Plan plan, ObjectNode base, Answer answer, ObjectNode usage,
      JsonNode streamOptions) {
    boolean includeUsage = streamOptions.path("include_usage").asBoolean(false);
    boolean obfuscate = streamOptions.path("include_obfuscation").asBoolean(true);
    Chunks chunks = new Chunks(base, includeUsage, obfuscate);
    EventStream out = ex.stream(plan, OpenAiRequests.inBandError(ex, plan, base.path("model").asText()));
    if (answer.isToolCall()) {
      ObjectNode delta = chunks.delta().put("role", "assistant").putNull("content");
      ObjectNode call = delta.putArray("tool_calls").addObject();
      call.put("index", 0).put("id", "call_" + Exchange.randomId(24)).put("type", "function");
      call.putObject("function").put("name", answer.toolName()).put("arguments", "");
      delta.putNull("refusal");
      out.data(chunks.choice(delta, null));
      for (String fragment : fragments(answer.toolArguments())) {
        ObjectNode d = chunks.delta();
        d.putArray("tool_calls").addObject().put("index", 0)
            .putObject("function").put("arguments", fragment);
        out.data(chunks.choice(d, null));
      }
    } else {
      out.data(chunks.choice(chunks.delta().put("role", "assistant").put("content", "")
          .putNull("refusal"), null));
      for (String piece : pieces(answer.text())) {
        out.data(chunks.choice(chunks.delta().put("content", piece), null));
      }
    }
    out.data(chunks.choice(chunks.delta(), OpenAiChat.finishReason(answer)));
    if (includeUsage) {
      out.data(chunks.usage(usage));
    }
    out.end("data: [DONE]\n\n");
  }

  /** Words with their leading white space, so that the pieces join back into the text. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.split("(?=\\s)")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  static List<String> fragments(String json) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < json.length(); i += ARGUMENT_FRAGMENT) {
      out.add(json.substring(i, Math.min(json.length(), i + ARGUMENT_FRAGMENT)));
    }
    return out;
  }

  /** Builds chunks that share id, created, model, tier and fingerprint. */
  private static final class Chunks {
    private final ObjectNode base;
    private final boolean includeUsage;
    private final boolean obfuscate;
    private int n;

    Chunks(ObjectNode base, boolean includeUsage, boolean obfuscate) {
      this.base = base;
      this.includeUsage = includeUsage;
      this.obfuscate = obfuscate;
    }

    ObjectNode delta() {
      return dev.tokenwise.core.Json.object();
    }

    ObjectNode choice(ObjectNode delta, String finishReason) {
      ObjectNode c = base.deepCopy();
      ObjectNode choice = c.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      if (includeUsage) {
        c.putNull("usage");
      }
      return pad(c);
    }

    ObjectNode usage(ObjectNode usage) {
      ObjectNode c = base.deepCopy();
      c.putArray("choices");
      c.set("usage", usage);
      return pad(c);
    }

    /** The random-looking padding real streams carry unless the client turns it off. */
    private ObjectNode pad(ObjectNode c) {
      if (obfuscate) {
        String id = c.path("id").asText();
        long h = Tokens.hash(id + '#' + n++);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder();
        int len = 1 + (int) Math.floorMod(h, 12L);
        for (int i = 0; i < len; i++) {
          sb.append(alphabet.charAt((int) Math.floorMod(h >>> (i * 5), (long) alphabet.length())));
        }
        c.put("obfuscation", sb.toString());
      }
      return c;
    }
  }
}
