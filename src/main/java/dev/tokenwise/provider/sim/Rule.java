package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Scripted behaviour for the calls to one model (or every model, for {@code "*"}). Settings combine:
 * {@code reply("hi").streamDelay(d).dropAfter(3)} is one rule. A rule applies to every matching call
 * until {@link Simulator#reset()} unless {@link #times(int)} limits it; when several rules match, the
 * oldest one that still has uses left wins, except that a rule setting only a
 * {@link #difficulty(int)} never wins: it sets the difficulty of the calls it matches and lets them
 * go on. Rules apply to generation calls (chat completions, messages, embeddings) of known models
 * after the request passed validation.
 *
 * <p>With {@link #chance(double)} a rule applies to a matching call only with that probability; a
 * call it passes over goes on to the next rule, and {@link #times(int)} counts only the calls it
 * applied to. Each rule draws from its own generator, seeded by {@link #seed(long)} or else by the
 * simulator's seed and the rule's place in the list, so that the same rules meeting the same calls in
 * the same order decide the same way on every run.
 *
 * <p>With {@link #during(Instant, Instant)} a rule applies only while the simulator's clock is inside
 * a window, so a scripted outage can sit at a given hour of simulated time; with
 * {@link #matching(String)} only to calls whose last user message matches a pattern, so that a
 * behaviour can follow the input whatever model serves it.
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
  private boolean reset;
  private int truncateAfter = -1;
  private int failAfterEvents = -1;
  private boolean runaway;
  private int answerMin = -1;
  private int answerMax = -1;
  private int difficulty;
  private Instant from;
  private Instant until;
  private Pattern message;
  private int remaining = -1;
  private double chance = 1;
  private Long seed;
  private SplittableRandom random;
  private long applied;

  Rule(String model) {
    this(model, 0);
  }

  /** A rule whose draws follow {@code defaultSeed} until {@link #seed(long)} says otherwise. */
  Rule(String model, long defaultSeed) {
    this.model = Objects.requireNonNull(model, "model");
    this.random = new SplittableRandom(defaultSeed);
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

  /**
   * Closes the connection without sending a byte of an HTTP answer, as a dying upstream or a load
   * balancer that lost its backend does; a {@link #stall(Duration)} still runs first.
   */
  public synchronized Rule reset() {
    this.reset = true;
    return this;
  }

  /**
   * Ends the answer cleanly but early: a stream stops just before its terminal event ({@code data:
   * [DONE]} or {@code message_stop}) and the chunked body is closed properly; a whole answer sends
   * the first half of its body with a matching {@code content-length}.
   */
  public synchronized Rule truncate() {
    this.truncateAfter = Plan.BEFORE_END;
    return this;
  }

  /** Like {@link #truncate()}, but a stream ends cleanly after this many events. */
  public synchronized Rule truncate(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("truncate must be >= 0 events, got " + events);
    }
    this.truncateAfter = events;
    return this;
  }

  /**
   * Makes a {@link #fail(int)} of a streamed call arrive in-band after this many events of a 200
   * stream, as the providers report an overload that starts mid-answer: {@code data: {"error":...}}
   * on OpenAI, {@code event: error} on Anthropic, then the stream ends. Calls that are not streamed
   * get the plain error status.
   */
  public synchronized Rule afterEvents(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("afterEvents must be >= 0, got " + events);
    }
    this.failAfterEvents = events;
    return this;
  }

  /**
   * Makes a text answer run on to the request's output cap ({@code max_tokens} or
   * {@code max_completion_tokens}; {@value Answer#RUNAWAY_CEILING} tokens when an OpenAI request sets
   * none), as a model caught in a loop does: it ends with finish reason {@code length} (OpenAI) or
   * stop reason {@code max_tokens} (Anthropic) and usage counts every token up to the cap. An answer
   * in JSON mode is cut inside a string, so it is not valid JSON. A stop sequence in the request still
   * ends it early; a tool call is not affected.
   */
  public synchronized Rule runaway() {
    this.runaway = true;
    return this;
  }

  /**
   * Makes a generated text answer (not a given one, not JSON) whole sentences of at least
   * {@code min} and about {@code max} tokens, the length picked by the last user message, so that
   * the same request keeps its answer; the request's output cap still cuts it.
   */
  public synchronized Rule answerTokens(int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("answer tokens must be 1 <= min <= max, got " + min + ".." + max);
    }
    this.answerMin = min;
    this.answerMax = max;
    return this;
  }

  /**
   * Makes the inputs of the calls this rule applies to this hard (1 to 5) instead of the difficulty
   * drawn from the last user message: a model answers right only when its skill reaches it. A rule
   * that sets nothing but a difficulty does not compete with the other rules; see {@link Rules}.
   */
  public synchronized Rule difficulty(int level) {
    Quality.checkLevel(level, "difficulty");
    this.difficulty = level;
    return this;
  }

  /**
   * Applies this rule only while the simulator's clock reads a time in {@code [from, until)}; before
   * and after, it passes every call on to the next rule without using a draw or one of its
   * {@link #times(int)}.
   */
  public synchronized Rule during(Instant from, Instant until) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException("a rule's window must end after it starts, got " + from + " to " + until);
    }
    this.from = from;
    this.until = until;
    return this;
  }

  /**
   * Applies this rule only to chat and messages calls whose last user message contains a match of
   * this regular expression (never to embeddings calls).
   */
  public synchronized Rule matching(String regex) {
    try {
      this.message = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a regular expression: " + regex + " (" + e.getDescription() + ")");
    }
    return this;
  }

  /**
   * Applies this rule to a matching call with probability {@code p} (0 &lt; p &lt;= 1); otherwise the
   * call goes on to the next rule. Draws are reproducible: see {@link #seed(long)}.
   */
  public synchronized Rule chance(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("chance must be > 0 and <= 1, got " + p);
    }
    this.chance = p;
    return this;
  }

  /** Seeds this rule's draws for {@link #chance(double)}, whatever the simulator's seed. */
  public synchronized Rule seed(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    return this;
  }

  /** How many calls this rule has applied to so far. */
  public synchronized long applied() {
    return applied;
  }

  /** Applies this rule to the next {@code n} matching calls only. */
  public synchronized Rule times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1, got " + n);
    }
    this.remaining = n;
    return this;
  }

  /**
   * Whether the rule has uses left, names this model and, when it has them, {@code now} is inside its
   * window and the last user message ({@code lastUserText}, null for embeddings) matches its pattern.
   */
  synchronized boolean matches(String requested, Instant now, String lastUserText) {
    return remaining != 0 && (model.equals(ANY_MODEL) || model.equals(requested))
        && (from == null || !now.isBefore(from) && now.isBefore(until))
        && (message == null || lastUserText != null && message.matcher(lastUserText).find());
  }

  /**
   * Uses the rule once, or returns null when it has no uses left or its chance passes this call
   * over (a draw is made only while uses are left, so a used-up rule no longer moves its generator).
   */
  synchronized Plan take() {
    if (remaining == 0) {
      return null;
    }
    if (chance < 1 && random.nextDouble() >= chance) {
      return null;
    }
    if (remaining > 0) {
      remaining--;
    }
    applied++;
    return plan();
  }

  /** Whether this rule sets a difficulty and nothing else, so that it combines with other rules. */
  synchronized boolean onlyDifficulty() {
    return plan().onlyDifficulty();
  }

  private Plan plan() {
    return new Plan(text, inputTokens, outputTokens, toolName, toolArguments, failStatus, retryAfter,
        stall, streamDelay, dropAfter, garbage, reset, truncateAfter, failAfterEvents, runaway, answerMin,
        answerMax, difficulty);
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
    if (reset) {
      n.put("reset", true);
    }
    if (truncateAfter == Plan.BEFORE_END) {
      n.put("truncate", "before_end");
    } else if (truncateAfter >= 0) {
      n.put("truncate", truncateAfter);
    }
    if (failAfterEvents >= 0) {
      n.put("after_events", failAfterEvents);
    }
    if (runaway) {
      n.put("runaway", true);
    }
    if (answerMin > 0) {
      n.putArray("answer_tokens").add(answerMin).add(answerMax);
    }
    if (difficulty > 0) {
      n.put("difficulty", difficulty);
    }
    if (from != null) {
      n.put("from", from.toString()).put("until", until.toString());
    }
    if (message != null) {
      n.put("message_regex", message.pattern());
    }
    if (chance < 1) {
      n.put("chance", chance);
    }
    if (seed != null) {
      n.put("seed", seed);
    }
    if (remaining >= 0) {
      n.put("times_left", remaining);
    }
    n.put("applied", applied);
    return n;
  }

  private static Duration nonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be a non-negative duration, got " + d);
    }
    return d;
  }
}
