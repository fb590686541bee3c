package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trims the conversation history to the last N turns ({@code context: { keep_last_turns: N }}), in the
 * client's own dialect.
 *
 * <p>A turn starts at a user message that is not only tool results. Instructions stay: OpenAI's
 * system and developer messages are kept where they stand, and Anthropic's {@code system} is a field of its
 * own that is never touched. The cut falls at the start of a turn, so the kept history opens with a user
 * message; it moves earlier (keeping more turns) when a kept tool result would lose the call it answers, or
 * when it would drop an Anthropic mid-conversation system message, which may not open a history. When no
 * cut keeps the history valid, the request goes as it came and the trace says why.
 *
 * <p>With {@code summarize_with: MODEL} the dropped turns are not lost but replaced by one summary that
 * model writes (see {@link Summarizer}): an OpenAI system message after the leading instructions, or a text
 * block appended to Anthropic's {@code system}, the one change this stage makes there. So that consecutive
 * calls of a conversation send the same prefix (and reuse the cached summary, and keep a prompt cache
 * warm), the summarised part ends at a multiple of {@code summarize_every} turns (10 by default) and the
 * turns after it stay verbatim: the kept history may be up to that many turns longer than asked. When the
 * summary cannot be had, the plain trim runs and the trace says why.
 */
final class TrimContext implements Stage {
  private static final String TACTIC = "context";
  static final String SUMMARY_PREFIX = "Summary of the earlier conversation: ";
  private static final int DEFAULT_SUMMARIZE_EVERY = 10;

  private final Summarizer summarizer;

  /** Trimming only: a {@code summarize_with} setting is noted as unavailable. */
  TrimContext() {
    this(null);
  }

  /** Trimming that replaces the dropped turns by a summary when a policy names a model for it. */
  TrimContext(Summarizer summarizer) {
    this.summarizer = summarizer;
  }

  @Override
  public String name() {
    return TACTIC;
  }

  @Override
  public void before(Exchange ex) {
    Policy policy = ex.policy();
    if (policy == null || !(policy.tactic(TACTIC) instanceof Map<?, ?> settings)
        || !settings.containsKey("keep_last_turns")) {
      return;
    }
    int keep = turnsToKeep(settings.get("keep_last_turns"));
    if (keep < 1) {
      ex.record(new Decision(name(), "keep_last_turns '" + settings.get("keep_last_turns")
          + "' is not a whole number of at least 1; not trimmed (" + policy.name() + ")"));
      return;
    }
    String summarizeWith = summarizeWith(ex, settings);
    int every = DEFAULT_SUMMARIZE_EVERY;
    if (summarizeWith != null && settings.get("summarize_every") != null) {
      every = turnsToKeep(settings.get("summarize_every"));
      if (every < 1) {
        ex.record(new Decision(name(), "summarize_every '" + settings.get("summarize_every")
            + "' is not a whole number of at least 1; using " + DEFAULT_SUMMARIZE_EVERY + " (" + policy.name()
            + ")"));
        every = DEFAULT_SUMMARIZE_EVERY;
      }
    }
    if (!(ex.body().get("messages") instanceof ArrayNode messages)) {
      return;
    }
    History history = new History(messages, ex.dialect());
    List<Integer> starts = history.turnStarts();
    if (starts.size() <= keep) {
      return;
    }
    int first = starts.size() - keep;
    int chosen = -1;
    String blocked = null;
    for (int t = first; t >= 1; t--) {
      String problem = history.problemCuttingAt(starts.get(t));
      if (problem == null) {
        chosen = t;
        break;
      }
      if (blocked == null) {
        blocked = problem;
      }
    }
    if (chosen < 0) {
      ex.record(new Decision(name(), "not trimmed: no earlier turn start leaves a valid history, and cutting"
          + " before the last " + keep + " of " + starts.size() + " turns " + blocked));
      return;
    }
    if (summarizeWith != null && summarize(ex, history, starts, chosen, keep, every, summarizeWith)) {
      return;
    }
    Dropped gone = drop(history, starts.get(chosen));
    long chars = gone.chars();
    int dropped = gone.messages();
    int kept = starts.size() - chosen;
    String change = "kept last " + kept + " of " + starts.size() + " turns, dropped " + dropped + " messages (~"
        + (chars + 3) / 4 + " tokens, estimated as characters/4)";
    if (kept > keep) {
      change += "; " + keep + " asked, but cutting there " + blocked;
    }
    ex.markChanged(new Decision(name(), change));
    ex.trimmedInputTokens((chars + 3) / 4);
  }

  /** The model to summarise with, or null when none is set or this stage has no summarizer. */
  private String summarizeWith(Exchange ex, Map<?, ?> settings) {
    Object model = settings.get("summarize_with");
    if (model == null) {
      return null;
    }
    if (!(model instanceof String s) || s.isBlank()) {
      ex.record(new Decision(name(), "summarize_with '" + model + "' is not a model name; trimming only"));
      return null;
    }
    if (summarizer == null) {
      ex.record(new Decision(name(), "summarize_with is not available here; trimming only"));
      return null;
    }
    return s.strip();
  }

  /**
   * Replaces the turns before the last multiple of {@code every} at or before {@code chosen} by one
   * summary; false when the plain trim should run instead (with a decision saying why).
   */
  private boolean summarize(Exchange ex, History history, List<Integer> starts, int chosen, int keep, int every,
      String model) {
    int upTo = chosen / every * every;
    while (upTo > 0 && history.problemCuttingAt(starts.get(upTo)) != null) {
      upTo -= every;
    }
    if (upTo <= 0) {
      ex.record(new Decision(name(), "kept all " + starts.size() + " turns: the summarised part advances every "
          + every + " turns (summarize_every), and fewer than " + every + " turns lie before the last " + keep
          + " at a valid cut"));
      return true;
    }
    int cut = starts.get(upTo);
    List<JsonNode> dropped = new ArrayList<>();
    for (int i = 0; i < cut; i++) {
      if (!history.isInstruction(i)) {
        dropped.add(history.messages.get(i));
      }
    }
    Summarizer.Summary summary;
    try {
      summary = summarizer.summarize(model, dropped, ex.credentials(), ex.passthrough());
    } catch (Summarizer.Failure e) {
      ex.record(new Decision(name(), "summarize_with " + model + " failed (" + e.getMessage()
          + "); trimming without a summary"));
      return false;
    }
    long chars = drop(history, cut).chars();
    insert(ex, history.messages, SUMMARY_PREFIX + summary.text());
    int kept = starts.size() - upTo;
    ex.markChanged(new Decision(name(), "summarised " + upTo + " earlier turns with " + model + " ("
        + (summary.cached() ? "cached" : "new") + "), kept last " + kept + " of " + starts.size()
        + " turns; replaced " + dropped.size() + " messages (~" + (chars + 3) / 4
        + " tokens, estimated as characters/4)"));
    ex.trimmedInputTokens((chars + 3) / 4);
    if (!summary.cached()) {
      ex.summaryUsage(summary.provider(), summary.model(), summary.inputTokens(), summary.outputTokens());
    }
    return true;
  }

  /**
   * Puts the summary where instructions go: an OpenAI system message after the leading system and
   * developer messages, or a text block at the end of Anthropic's top-level {@code system}.
   */
  private static void insert(Exchange ex, ArrayNode messages, String text) {
    if (ex.dialect() == Dialect.ANTHROPIC) {
      ObjectNode body = ex.body();
      JsonNode system = body.get("system");
      ArrayNode blocks;
      if (system instanceof ArrayNode array) {
        blocks = array;
      } else {
        blocks = body.arrayNode();
        if (system != null && system.isTextual() && !system.textValue().isEmpty()) {
          blocks.addObject().put("type", "text").put("text", system.textValue());
        }
        body.set("system", blocks);
      }
      blocks.addObject().put("type", "text").put("text", text);
      return;
    }
    int at = 0;
    while (at < messages.size()) {
      String role = messages.get(at).path("role").asText("");
      if (!role.equals("system") && !role.equals("developer")) {
        break;
      }
      at++;
    }
    ObjectNode message = messages.objectNode().put("role", "system").put("content", text);
    messages.insert(at, message);
  }

  /** What removing every non-instruction message before {@code cut} took away. */
  private record Dropped(int messages, long chars) {}

  private static Dropped drop(History history, int cut) {
    int messages = 0;
    long chars = 0;
    for (int i = cut - 1; i >= 0; i--) {
      if (!history.isInstruction(i)) {
        chars += textLength(history.messages.get(i));
        history.messages.remove(i);
        messages++;
      }
    }
    return new Dropped(messages, chars);
  }

  /** The configured turn count, or 0 when it is not a positive whole number. */
  private static int turnsToKeep(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long n = ((Number) value).longValue();
      return n < 1 ? 0 : (int) Math.min(n, Integer.MAX_VALUE);
    }
    if (value instanceof String s && s.strip().matches("[0-9]{1,9}")) {
      return Integer.parseInt(s.strip());
    }
    return 0;
  }

  /**
   * The characters of every string value in a message (roles and tool names included, as they are sent
   * too). Strings set aside as too large to parse (base64 images) count as their placeholder, so images
   * are undercounted.
   */
  private static long textLength(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().length();
    }
    long n = 0;
    for (JsonNode child : node) {
      n += textLength(child);
    }
    return n;
  }

  /** The messages of one request, read for where tool calls and their results stand. */
  private static final class History {
    private final ArrayNode messages;
    private final Dialect dialect;

    History(ArrayNode messages, Dialect dialect) {
      this.messages = messages;
      this.dialect = dialect;
    }

    String role(int i) {
      return messages.get(i).path("role").asText("");
    }

    /** Whether a message is an OpenAI system or developer message, which stays where it stands. */
    boolean isInstruction(int i) {
      String role = role(i);
      return dialect == Dialect.OPENAI && (role.equals("system") || role.equals("developer"));
    }

    List<Integer> turnStarts() {
      List<Integer> starts = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        if (role(i).equals("user") && !onlyToolResults(messages.get(i))) {
          starts.add(i);
        }
      }
      return starts;
    }

    /** Why dropping every non-instruction message before {@code cut} would break the history, or null. */
    String problemCuttingAt(int cut) {
      if (dialect == Dialect.ANTHROPIC) {
        for (int i = 0; i < cut; i++) {
          if (role(i).equals("system")) {
            return "would drop a mid-conversation system message";
          }
        }
      }
      Set<String> droppedCalls = new HashSet<>();
      for (int i = 0; i < cut; i++) {
        droppedCalls.addAll(callIds(messages.get(i)));
      }
      for (int i = cut; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        for (String id : resultIds(m)) {
          if (droppedCalls.contains(id)) {
            return "would separate tool call " + id + " from its result";
          }
        }
        if (dialect == Dialect.OPENAI && role(i).equals("function") && legacyCallAt(i) < cut) {
          return "would separate a function call from its result";
        }
      }
      return null;
    }

    /**
     * Where the call of a legacy {@code function} result stands: the nearest earlier assistant message with
     * a {@code function_call}, or past every index when there is none (the client sent an orphan, left as it is).
     */
    private int legacyCallAt(int result) {
      for (int i = result - 1; i >= 0; i--) {
        if (role(i).equals("assistant") && messages.get(i).has("function_call")) {
          return i;
        }
      }
      return Integer.MAX_VALUE;
    }

    private Set<String> callIds(JsonNode m) {
      Set<String> ids = new HashSet<>();
      if (!m.path("role").asText("").equals("assistant")) {
        return ids;
      }
      if (dialect == Dialect.OPENAI) {
        for (JsonNode call : m.path("tool_calls")) {
          ids.add(call.path("id").asText(""));
        }
      } else {
        for (JsonNode block : m.path("content")) {
          if (block.path("type").asText("").equals("tool_use")) {
            ids.add(block.path("id").asText(""));
          }
        }
      }
      return ids;
    }

    private Set<String> resultIds(JsonNode m) {
      Set<String> ids = new HashSet<>();
      String role = m.path("role").asText("");
      if (dialect == Dialect.OPENAI) {
        if (role.equals("tool")) {
          ids.add(m.path("tool_call_id").asText(""));
        }
      } else if (role.equals("user")) {
        for (JsonNode block : m.path("content")) {
          if (block.path("type").asText("").equals("tool_result")) {
            ids.add(block.path("tool_use_id").asText(""));
          }
        }
      }
      return ids;
    }

    /** Whether an Anthropic user message carries nothing but tool results (then it continues a turn). */
    private boolean onlyToolResults(JsonNode m) {
      JsonNode content = m.path("content");
      if (!content.isArray() || content.isEmpty()) {
        return false;
      }
      for (JsonNode block : content) {
        if (!block.path("type").asText("").equals("tool_result")) {
          return false;
        }
      }
      return true;
    }
  }
}
