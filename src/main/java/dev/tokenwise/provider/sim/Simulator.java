package dev.tokenwise.provider.sim;

import dev.tokenwise.core.Dialect;
import io.helidon.http.Header;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in for the paid providers on loopback: it speaks the OpenAI Chat Completions and Anthropic
 * Messages wire formats as {@code reference/openai.md} and {@code anthropic.md} describe them,
 * answers deterministically, counts tokens and prompt-cache hits, and fails on request.
 *
 * <p>Endpoints. OpenAI ({@code Authorization: Bearer KEY}): {@code POST /v1/chat/completions},
 * {@code POST /v1/embeddings}, {@code GET /v1/models[/{id}]}. Anthropic ({@code x-api-key} or a
 * bearer header, plus {@code anthropic-version}): {@code POST /v1/messages}, {@code POST
 * /v1/messages/count_tokens}, and {@code GET /v1/models[/{id}]} when the request carries
 * {@code anthropic-version}. The {@code /v1} prefix may be left out. Unknown models get the dialect's
 * 404; {@link #models(String...)} adds names.
 *
 * <p>Answers. The text comes from a hash of the last user message (same request, same answer); JSON
 * is returned when the request asks for it. Each model has a skill and each input a difficulty, 1
 * to 5: a model whose skill is below the input's difficulty answers wrong, with off-topic words or
 * JSON leaves (see {@code Quality}). A last user message holding {@code <answer_a>} and
 * {@code <answer_b>} blocks is a grading request, answered with grades (see {@code Judge}). Tokens follow one rule (see {@code Tokens}): a run of
 * letters and digits or a run of other non-space characters is one token. Reasoning models (o3,
 * o4-mini, gpt-5*) add 4 hidden reasoning tokens per visible one, inside {@code completion_tokens}.
 * Prompt caches remember prefixes per API key and model with lifetimes on the injected clock.
 *
 * <p>Scripting: {@link #on(String)} in Java, or over HTTP from another process:
 * <ul>
 *   <li>{@code POST /_sim/rules} with a JSON object: {@code model} (or {@code "*"}), {@code action}
 *       and its fields: {@code reply} ({@code text}, optional {@code input_tokens} and
 *       {@code output_tokens}; or {@code answer_tokens}, a number or {@code [min, max]}, for a
 *       generated answer that long), {@code tool_call} ({@code name}, {@code arguments} as an object or
 *       a JSON string), {@code fail} ({@code status}, optional {@code retry_after_s} and
 *       {@code after_events}), {@code stall} ({@code ms}), {@code stream_delay} ({@code ms}),
 *       {@code drop_after} ({@code events}), {@code garbage}, {@code reset}, {@code truncate}
 *       (optional {@code events}), {@code runaway}. Any rule may also carry {@code stall_ms},
 *       {@code stream_delay_ms}, {@code drop_after}, {@code garbage}, {@code runaway}, {@code times},
 *       {@code chance}, {@code seed}, {@code message_regex}, {@code difficulty} (1 to 5), and
 *       {@code from} with {@code until} (ISO-8601 instants on the simulator's clock). A rule with a
 *       {@code difficulty} may leave out {@code action}: it then sets only the difficulty.
 *       Example: {@code {"model":"gpt-4o","action":"fail","status":503,"retry_after_s":1,
 *       "chance":0.1}}. Answers 201 with the rule.</li>
 *   <li>{@code GET /_sim/rules} lists the rules, each with the number of calls it {@code applied}
 *       to; {@code DELETE /_sim/rules} drops them.</li>
 *   <li>{@code GET /_sim/calls} lists the calls received, oldest first ({@code method},
 *       {@code path}, {@code headers}, {@code body}, {@code status}, {@code state});
 *       {@code DELETE /_sim/calls} forgets them; {@code GET /_sim/stats} counts them by
 *       {@code state} and {@code status} (0 = nothing sent), without their bodies.</li>
 *   <li>{@code POST /_sim/models} with {@code {"models":["id", ...]}} adds model names, with an
 *       optional {@code "skill"} (1 to 5, else 5) that also sets the skill of known ones;
 *       {@code POST /_sim/reset} does what {@link #reset()} does, and with {@code {"seed":N}} also
 *       what {@link #seed(long)} does.</li>
 * </ul>
 */
public final class Simulator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Simulator.class.getName());

  private final Catalog catalog = new Catalog();
  private final Rules rules = new Rules();
  private final CallLog calls = new CallLog();
  private final PromptCache cache;
  private final OpenAiChat openAiChat;
  private final OpenAiExtras openAiExtras;
  private final AnthropicMessages anthropic;
  private final ControlApi control;
  private WebServer server;

  private Simulator(Clock clock) {
    this.cache = new PromptCache(clock);
    Backend backend = new Backend(catalog, rules, cache, clock);
    this.openAiChat = new OpenAiChat(backend);
    this.openAiExtras = new OpenAiExtras(backend);
    this.anthropic = new AnthropicMessages(backend);
    this.control = new ControlApi(this, rules, calls, catalog);
  }

  /** Starts a simulator on 127.0.0.1 at this port (0 = any free port) with the system clock. */
  public static Simulator start(int port) {
    return start(port, Clock.systemUTC());
  }

  /** Starts a simulator whose prompt-cache lifetimes and timestamps follow the given clock. */
  public static Simulator start(int port, Clock clock) {
    Simulator sim = new Simulator(clock);
    sim.server = WebServer.builder()
        .host("127.0.0.1")
        .port(port)
        // streamed events go out one by one, as a provider's do, not held back by Nagle
        .connectionOptions(o -> o.tcpNoDelay(true))
        .routing(r -> r.any(sim::handle))
        .build()
        .start();
    LOG.log(Level.INFO, "provider simulator listening on {0}", sim.baseUrl());
    return sim;
  }

  /** The port the simulator listens on. */
  public int port() {
    return server.port();
  }

  /** The base URL, {@code http://127.0.0.1:PORT}; OpenAI clients append {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Adds a rule for calls to this model ({@code "*"} for every model); see {@link Rule}. */
  public Rule on(String model) {
    return rules.add(model);
  }

  /** Makes these model ids known to both dialects, with full skill (5). */
  public Simulator models(String... ids) {
    catalog.add(ids);
    return this;
  }

  /**
   * Makes this model id known to both dialects with this skill, 1 to 5: the model answers an input
   * right only when its skill is at least the input's difficulty (see {@link Rule#difficulty(int)}).
   * A model already known keeps its other traits and takes the new skill.
   */
  public Simulator model(String id, int skill) {
    catalog.add(id, skill);
    return this;
  }

  /**
   * Seeds the draws of the rules added from now on that have no {@link Rule#seed(long)} of their
   * own (0 until set); with the same seed, the same script and the same calls in the same order, a
   * {@link Rule#chance(double)} picks the same calls on every run.
   */
  public Simulator seed(long seed) {
    rules.seed(seed);
    return this;
  }

  /**
   * Whether calls are kept for {@link #calls()}, {@link #awaitCall(int, Duration)} and
   * {@code GET /_sim/calls} (on at start). A long run turns it off so that memory stays flat: calls
   * are then only counted, once finished, in {@code GET /_sim/stats}.
   */
  public Simulator recordCalls(boolean on) {
    calls.keep(on);
    return this;
  }

  /** Drops the rules, the recorded calls and the prompt-cache memory (added models and the seed stay). */
  public void reset() {
    rules.clear();
    calls.clear();
    cache.clear();
  }

  /** The calls received so far, oldest first, as they stand now. */
  public List<Call> calls() {
    return calls.snapshot();
  }

  /**
   * Waits until the call at {@code index} (0 = the first since start or reset) has finished,
   * whichever way, and returns it; throws {@link IllegalStateException} after the timeout.
   */
  public Call awaitCall(int index, Duration timeout) {
    return calls.await(index, timeout);
  }

  /** Stops the server; calls in flight are cut. */
  @Override
  public void close() {
    if (server != null && server.isRunning()) {
      server.stop();
      LOG.log(Level.DEBUG, "provider simulator stopped");
    }
  }

  private void handle(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String method = req.prologue().method().text();
    if (path.startsWith("/_sim/")) {
      control.handle(req, res, path, method, read(req));
      return;
    }
    byte[] body = read(req);
    if (!path.startsWith("/v1/")) {
      path = "/v1" + path;
    }
    CallLog.Entry call = calls.begin(method, path, headers(req), new String(body, StandardCharsets.UTF_8));
    boolean anthropicShape = path.startsWith("/v1/messages")
        || path.startsWith("/v1/models") && req.headers().contains(io.helidon.http.HeaderNames.create("anthropic-version"));
    Exchange ex = new Exchange(req, res, call, body, anthropicShape ? Dialect.ANTHROPIC : Dialect.OPENAI);
    try {
      route(ex, method, path);
    } catch (EventStream.Ended e) {
      // a rule ended the stream early and cleanly; the answer is over
    } catch (CloseConnectionException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "simulator failed on " + method + " " + path, e);
      if (!res.isSent()) {
        ex.error(500, anthropicShape ? "api_error" : "server_error", "The simulator failed: " + e,
            null, null, null);
      }
    } finally {
      call.finish(Call.State.COMPLETED);
    }
  }

  private void route(Exchange ex, String method, String path) {
    boolean post = method.equals("POST");
    boolean get = method.equals("GET");
    switch (path) {
      case "/v1/chat/completions" -> {
        if (post) {
          openAiChat.handle(ex);
          return;
        }
      }
      case "/v1/embeddings" -> {
        if (post) {
          openAiExtras.embeddings(ex);
          return;
        }
      }
      case "/v1/messages" -> {
        if (post) {
          anthropic.messages(ex);
          return;
        }
      }
      case "/v1/messages/count_tokens" -> {
        if (post) {
          anthropic.countTokens(ex);
          return;
        }
      }
      default -> {
        if (get && (path.equals("/v1/models") || path.startsWith("/v1/models/"))) {
          String id = path.equals("/v1/models") ? null : path.substring("/v1/models/".length());
          if (ex.header("anthropic-version") != null) {
            anthropic.models(ex, id);
          } else {
            openAiExtras.models(ex, id);
          }
          return;
        }
      }
    }
    if (path.startsWith("/v1/messages")) {
      AnthropicRequests.invalid(ex, 404, "not_found_error", "Not found: " + method + " " + path);
    } else {
      ex.error(404, "invalid_request_error", "Invalid URL (" + method + " " + path + ")", null, null,
          null);
    }
  }

  private static byte[] read(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try {
      return req.content().inputStream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }

  /** Lower-case names; secrets replaced by a marker that still shows they were sent. */
  private static Map<String, String> headers(ServerRequest req) {
    Map<String, String> out = new TreeMap<>();
    for (Header h : req.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      String value = name.equals("authorization") || name.equals("x-api-key") ? Call.REDACTED
          : String.join(", ", h.allValues());
      out.merge(name, value, (a, b) -> a + ", " + b);
    }
    return out;
  }
}
