package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.RequestRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an eval set comes from: a pattern's newest answered calls in the log (exact repeats removed,
 * spread over the time they cover, the production model's answers as the reference), or a file of the
 * team's own inputs with expected outputs or a rubric.
 */
public final class EvalSets {
  /** Fields that do not change what a model is asked, left out when repeats are found. */
  private static final List<String> NOT_THE_QUESTION = List.of("stream", "stream_options", "user", "metadata");

  private EvalSets() {}

  /** A set and what was left out of it on the way. */
  public record Drawn(List<EvalTable.Item> items, int read, int repeats, int unusable) {}

  /**
   * Draws up to {@code sample} items from rows (newest first, as {@link dev.tokenwise.store.LogStore#recentAnswered}
   * gives them): rows without stored bodies or without an answer text are unusable; of identical
   * questions the newest is kept; the rest are picked evenly over time, oldest first.
   */
  public static Drawn fromLog(String runId, List<RequestRecord> newestFirst, int sample) {
    Map<String, RequestRecord> unique = new LinkedHashMap<>();
    int unusable = 0;
    int repeats = 0;
    Map<String, String> answers = new LinkedHashMap<>();
    for (RequestRecord r : newestFirst) {
      Dialect dialect = Dialect.fromId(r.dialect());
      JsonNode request = r.requestBody() == null ? null : Json.tryParse(r.requestBody().getBytes(StandardCharsets.UTF_8));
      Optional<String> answer = dialect == null ? Optional.empty() : Wire.answer(dialect, r.responseBody(), r.stream());
      if (request == null || !request.isObject() || answer.isEmpty() || answer.get().isBlank()) {
        unusable++;
        continue;
      }
      String key = question((ObjectNode) request);
      if (unique.containsKey(key)) {
        repeats++;
        continue;
      }
      unique.put(key, r);
      answers.put(r.id(), answer.get());
    }
    List<RequestRecord> kept = new ArrayList<>(unique.values());
    kept.sort(Comparator.comparing(RequestRecord::time).thenComparing(RequestRecord::id));
    List<RequestRecord> picked = spread(kept, sample);
    List<EvalTable.Item> items = new ArrayList<>();
    int no = 1;
    for (RequestRecord r : picked) {
      Dialect dialect = Dialect.fromId(r.dialect());
      ObjectNode request = (ObjectNode) Json.tryParse(r.requestBody().getBytes(StandardCharsets.UTF_8));
      ObjectNode sent = Wire.forModel(request, request.path("model").asText());
      items.add(new EvalTable.Item(runId, no++, "request " + r.id(), r.time(), dialect.id(), Json.string(sent),
          Wire.input(dialect, request), answers.get(r.id()), null,
          r.inputTokens() + r.cachedInputTokens() + r.cacheWrite5mTokens() + r.cacheWrite1hTokens(),
          r.outputTokens()));
    }
    return new Drawn(List.copyOf(items), newestFirst.size(), repeats, unusable);
  }

  /** {@code n} of the rows spread evenly from the first to the last (all when there are no more). */
  static <T> List<T> spread(List<T> rows, int n) {
    if (rows.size() <= n) {
      return rows;
    }
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = n == 1 ? rows.size() - 1 : (int) Math.round(i * (rows.size() - 1) / (double) (n - 1));
      out.add(rows.get(at));
    }
    return out;
  }

  private static String question(ObjectNode request) {
    ObjectNode q = request.deepCopy();
    NOT_THE_QUESTION.forEach(q::remove);
    return Json.string(q);
  }

  /**
   * Reads a set file: one JSON object a line ({@code #} lines and blank lines skipped), each with the
   * input as {@code "input"} (a user message), {@code "messages"} (an OpenAI chat conversation) or
   * {@code "request"} (a whole chat body, with {@code "dialect": "anthropic-messages"} for an Anthropic
   * one), and {@code "expected"} (the answer it should get), {@code "rubric"} (how to grade it) or both;
   * {@code "system"} and {@code "id"} are optional.
   *
   * @param model the model the requests name (the one in use)
   * @throws IllegalArgumentException naming the file, the line and what is wrong
   */
  public static List<EvalTable.Item> fromFile(String runId, Path file, String model, Instant now) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the set file " + file + ": " + e.getMessage());
    }
    List<EvalTable.Item> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      JsonNode o = Json.tryParse(line.getBytes(StandardCharsets.UTF_8));
      if (o == null || !o.isObject()) {
        throw new IllegalArgumentException(where + ": not a JSON object");
      }
      String expected = text(o, "expected", where);
      String rubric = text(o, "rubric", where);
      if (expected == null && rubric == null) {
        throw new IllegalArgumentException(where + ": give \"expected\" (the answer it should get), \"rubric\" "
            + "(how to grade it) or both");
      }
      Dialect dialect = Dialect.OPENAI;
      ObjectNode request;
      if (o.has("request")) {
        if (!o.path("request").isObject() || !o.path("request").path("messages").isArray()) {
          throw new IllegalArgumentException(where + ": \"request\" must be a chat body with \"messages\"");
        }
        request = (ObjectNode) o.path("request").deepCopy();
        String d = o.path("dialect").asText(Dialect.OPENAI.id());
        dialect = Dialect.fromId(d);
        if (dialect == null) {
          throw new IllegalArgumentException(where + ": \"dialect\" must be openai-chat or anthropic-messages, got " + d);
        }
        if (dialect == Dialect.ANTHROPIC && !request.has("max_tokens")) {
          request.put("max_tokens", 1024);
        }
      } else {
        request = Json.object();
        var messages = request.putArray("messages");
        String system = text(o, "system", where);
        if (system != null) {
          messages.addObject().put("role", "system").put("content", system);
        }
        if (o.has("messages")) {
          if (!o.path("messages").isArray() || o.path("messages").isEmpty()) {
            throw new IllegalArgumentException(where + ": \"messages\" must be a non-empty array");
          }
          o.path("messages").forEach(messages::add);
        } else {
          String input = text(o, "input", where);
          if (input == null) {
            throw new IllegalArgumentException(where + ": give the input as \"input\", \"messages\" or \"request\"");
          }
          messages.addObject().put("role", "user").put("content", input);
        }
      }
      request.put("model", model);
      ObjectNode sent = Wire.forModel(request, model);
      String id = o.has("id") ? o.path("id").asText() : "line " + (i + 1);
      String input = Wire.input(dialect, sent);
      items.add(new EvalTable.Item(runId, items.size() + 1, "set " + id, now, dialect.id(), Json.string(sent), input,
          expected, rubric, Math.max(1, input.length() / 4), expected == null ? 0 : Math.max(1, expected.length() / 4)));
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the set file " + file + " has no items");
    }
    return items;
  }

  private static String text(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (field.equals("expected") && (v.isObject() || v.isArray())) {
      return Json.string(v); // an expected JSON answer, for the json scorer
    }
    throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
  }
}
