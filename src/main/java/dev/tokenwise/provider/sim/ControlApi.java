package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The {@code /_sim/...} endpoints that script the simulator from another process. */
final class ControlApi {
  private final Simulator sim;
  private final Rules rules;
  private final CallLog calls;
  private final Catalog catalog;

  ControlApi(Simulator sim, Rules rules, CallLog calls, Catalog catalog) {
    this.sim = sim;
    this.rules = rules;
    this.calls = calls;
    this.catalog = catalog;
  }

  void handle(ServerRequest req, ServerResponse res, String path, String method, byte[] body) {
    try {
      switch (method + " " + path) {
        case "POST /_sim/rules" -> reply(res, 201, addRule(parse(body)).describe());
        case "GET /_sim/rules" -> {
          ArrayNode out = Json.MAPPER.createArrayNode();
          rules.all().forEach(r -> out.add(r.describe()));
          reply(res, 200, out);
        }
        case "DELETE /_sim/rules" -> {
          rules.clear();
          reply(res, 200, Json.object().put("deleted", true));
        }
        case "GET /_sim/calls" -> reply(res, 200, callsJson());
        case "GET /_sim/stats" -> reply(res, 200, statsJson());
        case "DELETE /_sim/calls" -> {
          calls.clear();
          reply(res, 200, Json.object().put("deleted", true));
        }
        case "POST /_sim/models" -> {
          JsonNode ids = parse(body).path("models");
          if (!ids.isArray() || ids.isEmpty()) {
            throw new IllegalArgumentException("'models' must be a non-empty array of model ids");
          }
          JsonNode skill = parse(body).get("skill");
          if (skill != null && !(skill.isIntegralNumber() && skill.canConvertToInt())) {
            throw new IllegalArgumentException("'skill' must be an integer from 1 to 5");
          }
          for (JsonNode id : ids) {
            if (!id.isTextual()) {
              throw new IllegalArgumentException("'models' must be a non-empty array of model ids");
            }
          }
          if (skill != null) {
            Quality.checkLevel(skill.asInt(), "skill");
          }
          ids.forEach(id -> {
            if (skill == null) {
              catalog.add(id.asText());
            } else {
              catalog.add(id.asText(), skill.asInt());
            }
          });
          reply(res, 200, Json.object().put("added", ids.size()));
        }
        case "POST /_sim/reset" -> {
          Long seed = null;
          if (body.length > 0) {
            JsonNode n = parse(body).get("seed");
            if (n != null && !(n.isIntegralNumber() && n.canConvertToLong())) {
              throw new IllegalArgumentException("'seed' must be an integer");
            }
            seed = n == null ? null : n.asLong();
          }
          sim.reset();
          ObjectNode out = Json.object().put("reset", true);
          if (seed != null) {
            sim.seed(seed);
            out.put("seed", seed);
          }
          reply(res, 200, out);
        }
        default -> reply(res, 404, problem("no such control endpoint: " + method + " " + path));
      }
    } catch (IllegalArgumentException e) {
      reply(res, 400, problem(e.getMessage()));
    }
  }

  /** Builds a rule from its JSON form; the field names are those of the class javadoc of Simulator. */
  Rule addRule(JsonNode spec) {
    String model = text(spec, "model", Rule.ANY_MODEL);
    String action = text(spec, "action", null);
    if (action == null && !spec.has("difficulty")) {
      throw new IllegalArgumentException("'action' is required: reply, tool_call, fail, stall,"
          + " stream_delay, drop_after, garbage, reset, truncate or runaway (or 'difficulty' alone)");
    }
    // Build and check a detached rule first so that a bad spec leaves no half-made rule behind.
    Rule probe = new Rule(model);
    configure(probe, action, spec);
    Rule rule = rules.add(model);
    configure(rule, action, spec);
    return rule;
  }

  private static void configure(Rule rule, String action, JsonNode spec) {
    switch (action == null ? "" : action) {
      case "" -> {
        // no action: a rule that only sets the difficulty read below
      }
      case "reply" -> {
        // without text, 'answer_tokens' (read below) asks for a generated answer of that length
        String text = text(spec, "text", null);
        if (text == null && !spec.has("answer_tokens")) {
          throw new IllegalArgumentException("reply needs 'text' (or 'answer_tokens' for a generated answer)");
        }
        if (text != null && (spec.has("input_tokens") || spec.has("output_tokens"))) {
          rule.reply(text, integer(spec, "input_tokens"), integer(spec, "output_tokens"));
        } else if (text != null) {
          rule.reply(text);
        }
      }
      case "tool_call" -> {
        JsonNode args = spec.path("arguments");
        String json = args.isTextual() ? args.asText() : args.isObject() ? Json.string(args) : "{}";
        rule.toolCall(text(spec, "name", "tool"), json);
      }
      case "fail" -> {
        int status = integer(spec, "status");
        if (spec.hasNonNull("retry_after_s")) {
          rule.fail(status, seconds(spec.get("retry_after_s"), "retry_after_s"));
        } else {
          rule.fail(status);
        }
        if (spec.has("after_events")) {
          rule.afterEvents(integer(spec, "after_events"));
        }
      }
      case "stall" -> rule.stall(Duration.ofMillis(integer(spec, "ms")));
      case "stream_delay" -> rule.streamDelay(Duration.ofMillis(integer(spec, "ms")));
      case "drop_after" -> rule.dropAfter(integer(spec, "events"));
      case "garbage" -> rule.garbage();
      case "reset" -> rule.reset();
      case "truncate" -> {
        if (spec.has("events")) {
          rule.truncate(integer(spec, "events"));
        } else {
          rule.truncate();
        }
      }
      case "runaway" -> rule.runaway();
      default -> throw new IllegalArgumentException("unknown action '" + action + "'");
    }
    if (spec.has("runaway")) {
      if (!spec.get("runaway").isBoolean()) {
        throw new IllegalArgumentException("'runaway' must be true or false");
      }
      if (spec.get("runaway").asBoolean()) {
        rule.runaway();
      }
    }
    if (spec.has("answer_tokens")) {
      JsonNode n = spec.get("answer_tokens");
      if (n.isIntegralNumber() && n.canConvertToInt()) {
        rule.answerTokens(n.asInt(), n.asInt());
      } else if (n.isArray() && n.size() == 2 && n.get(0).canConvertToInt() && n.get(1).canConvertToInt()
          && n.get(0).isIntegralNumber() && n.get(1).isIntegralNumber()) {
        rule.answerTokens(n.get(0).asInt(), n.get(1).asInt());
      } else {
        throw new IllegalArgumentException("'answer_tokens' must be an integer or [min, max]");
      }
    }
    if (spec.has("difficulty")) {
      rule.difficulty(integer(spec, "difficulty"));
    }
    if (spec.has("message_regex")) {
      String regex = text(spec, "message_regex", null);
      if (regex == null) {
        throw new IllegalArgumentException("'message_regex' must be a string");
      }
      rule.matching(regex);
    }
    if (spec.has("from") || spec.has("until")) {
      rule.during(instant(spec, "from"), instant(spec, "until"));
    }
    if (spec.has("garbage")) {
      if (!spec.get("garbage").isBoolean()) {
        throw new IllegalArgumentException("'garbage' must be true or false");
      }
      if (spec.get("garbage").asBoolean()) {
        rule.garbage();
      }
    }
    if (spec.has("stall_ms")) {
      rule.stall(Duration.ofMillis(integer(spec, "stall_ms")));
    }
    if (spec.has("stream_delay_ms")) {
      rule.streamDelay(Duration.ofMillis(integer(spec, "stream_delay_ms")));
    }
    if (spec.has("drop_after") && !"drop_after".equals(action)) {
      rule.dropAfter(integer(spec, "drop_after"));
    }
    if (spec.has("times")) {
      rule.times(integer(spec, "times"));
    }
    if (spec.has("chance")) {
      JsonNode p = spec.get("chance");
      if (!p.isNumber()) {
        throw new IllegalArgumentException("'chance' must be a number > 0 and <= 1");
      }
      rule.chance(p.asDouble());
    }
    if (spec.has("seed")) {
      JsonNode n = spec.get("seed");
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new IllegalArgumentException("'seed' must be an integer");
      }
      rule.seed(n.asLong());
    }
  }

  private ArrayNode callsJson() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Call c : calls.snapshot()) {
      ObjectNode n = out.addObject();
      n.put("method", c.method()).put("path", c.path());
      ObjectNode h = n.putObject("headers");
      c.headers().forEach(h::put);
      n.put("body", c.body()).put("status", c.status()).put("state", c.state().name().toLowerCase());
    }
    return out;
  }

  /** The counts of the calls, without their bodies: cheap to ask for during a long run. */
  private ObjectNode statsJson() {
    CallLog.Tally t = calls.tally();
    ObjectNode out = Json.object().put("calls", t.calls());
    ObjectNode states = out.putObject("by_state");
    t.byState().forEach((k, v) -> states.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
    ObjectNode statuses = out.putObject("by_status");
    t.byStatus().forEach((k, v) -> statuses.put(String.valueOf(k), v));
    return out;
  }

  private static JsonNode parse(byte[] body) {
    JsonNode n = Json.tryParse(body);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return n;
  }

  private static String text(JsonNode spec, String field, String fallback) {
    JsonNode n = spec.get(field);
    return n != null && n.isTextual() ? n.asText() : fallback;
  }

  private static int integer(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be an integer");
    }
    return n.asInt();
  }

  private static Instant instant(JsonNode spec, String field) {
    JsonNode n = spec.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("a window needs both 'from' and 'until' as ISO-8601 instants"
          + " (\"2026-10-12T14:00:00Z\"); '" + field + "' is missing or not a string");
    }
    try {
      return Instant.parse(n.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 instant such as"
          + " \"2026-10-12T14:00:00Z\", got " + n);
    }
  }

  private static Duration seconds(JsonNode n, String field) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException("'" + field + "' must be a number of seconds");
    }
    BigDecimal ms = n.decimalValue().movePointRight(3);
    return Duration.ofMillis(ms.longValue());
  }

  private static ObjectNode problem(String message) {
    ObjectNode n = Json.object();
    n.putObject("error").put("message", message);
    return n;
  }

  private static void reply(ServerResponse res, int status, JsonNode body) {
    res.status(status);
    res.header("content-type", "application/json");
    res.send(Json.bytes(body));
  }
}
