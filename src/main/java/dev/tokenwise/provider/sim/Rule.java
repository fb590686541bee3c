package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Scripted behaviour for the calls to one model (or every model, for {@code "*"}). Settings combine:
 * {@code reply("hi").streamDelay(d).dropAfter(3)} is one rule. A rule applies to every matching call
 * until {@link Simulator#reset()} unless {@link #times(int)} limits it; when several rules match, the
 * oldest one that still has uses left wins. Rules apply to generation calls (chat completions,
 * messages, embeddings) of known models after the request passed validation.
 */
public final class Rule {
  /** The model name that makes a rule match every model. */
  public static final String ANY_MODEL = "*";

  private final String model;
  private String text;
  private int inputTokens = -1;
  private int outputTokens = -1;
  private String toolName;
  private String toolArguments;
  private int failStatus;
  private Duration retryAfter;
  private Duration stall = Duration.ZERO;
  private Duration streamDelay = Duration.ZERO;
  private int dropAfter = -1;
  private boolean garbage;
  private int remaining = -1;

  Rule(String model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  /** The model this rule matches, or {@code "*"}. */
  public String model() {
    return model;
  }

  /** Answers with this text instead of the generated one; usage is counted from it. */
  public synchronized Rule reply(String text) {
    this.text = Objects.requireNonNull(text, "text");
    return this;
  }

  /** Answers with this text and reports exactly these usage figures (no prompt caching). */
  public synchronized Rule reply(String text, int inputTokens, int outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, got " + inputTokens + "/"
          + outputTokens);
    }
    reply(text);
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    return this;
  }

  /** Answers with a call of the named tool; {@code argumentsJson} must be a JSON object. */
  public synchronized Rule toolCall(String name, String argumentsJson) {
    JsonNode args = Json.tryParse(argumentsJson.getBytes(StandardCharsets.UTF_8));
    if (args == null || !args.isObject()) {
      throw new IllegalArgumentException("tool arguments must be a JSON object, got: " + argumentsJson);
    }
    this.toolName = Objects.requireNonNull(name, "name");
    this.toolArguments = Json.string(args);
    return this;
  }

  /** Answers with this HTTP status and the dialect's error body. */
  public synchronized Rule fail(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("fail status must be 400..599, got " + status);
    }
    this.failStatus = status;
    return this;
  }

  /** Answers with this status, the dialect's error body and a {@code retry-after} header. */
  public synchronized Rule fail(int status, Duration retryAfter) {
    fail(status);
    this.retryAfter = nonNegative(retryAfter, "retryAfter");
    return this;
  }

  /** Waits this long before the first byte of the answer. */
  public synchronized Rule stall(Duration latency) {
    this.stall = nonNegative(latency, "stall");
    return this;
  }

  /** Pauses this long between stream events, so a client can go away mid-stream. */
  public synchronized Rule streamDelay(Duration pause) {
    this.streamDelay = nonNegative(pause, "streamDelay");
    return this;
  }

  /**
   * Cuts the connection after this many stream events, without the final ones; on a call that is
   * not streamed, after the headers and half of the body.
   */
  public synchronized Rule dropAfter(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("dropAfter must be >= 0, got " + events);
    }
    this.dropAfter = events;
    return this;
  }

  /** Answers HTTP 200 with a body that is not the wire format. */
  public synchronized Rule garbage() {
    this.garbage = true;
    return this;
  }

  /** Applies this rule to the next {@code n} matching calls only. */
  public synchronized Rule times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1, got " + n);
    }
    this.remaining = n;
    return this;
  }

  synchronized boolean matches(String requested) {
    return remaining != 0 && (model.equals(ANY_MODEL) || model.equals(requested));
  }

  /** Uses the rule once, or returns null when it has no uses left. */
  synchronized Plan take() {
    if (remaining == 0) {
      return null;
    }
    if (remaining > 0) {
      remaining--;
    }
    return new Plan(text, inputTokens, outputTokens, toolName, toolArguments, failStatus, retryAfter,
        stall, streamDelay, dropAfter, garbage);
  }

  synchronized JsonNode describe() {
    var n = Json.object().put("model", model);
    if (text != null) {
      n.put("text", text);
    }
    if (inputTokens >= 0) {
      n.put("input_tokens", inputTokens).put("output_tokens", outputTokens);
    }
    if (toolName != null) {
      n.put("tool_name", toolName).put("arguments", toolArguments);
    }
    if (failStatus != 0) {
      n.put("status", failStatus);
    }
    if (retryAfter != null) {
      n.put("retry_after_ms", retryAfter.toMillis());
    }
    n.put("stall_ms", stall.toMillis()).put("stream_delay_ms", streamDelay.toMillis());
    if (dropAfter >= 0) {
      n.put("drop_after", dropAfter);
    }
    n.put("garbage", garbage);
    if (remaining >= 0) {
      n.put("times_left", remaining);
    }
    return n;
  }

  private static Duration nonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be a non-negative duration, got " + d);
    }
    return d;
  }

  /** What one call does, taken from a rule (or the default: generate an answer). */
  record Plan(
      String text, int inputTokens, int outputTokens, String toolName, String toolArguments,
      int failStatus, Duration retryAfter, Duration stall, Duration streamDelay, int dropAfter,
      boolean garbage) {

    static final Plan DEFAULT =
        new Plan(null, -1, -1, null, null, 0, null, Duration.ZERO, Duration.ZERO, -1, false);

    boolean forcedUsage() {
      return inputTokens >= 0;
    }
  }
}
