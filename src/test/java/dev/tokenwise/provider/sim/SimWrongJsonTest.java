package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wrong answers in JSON mode: the shape of the right answer with about half of its leaves changed. */
class SimWrongJsonTest {
  private static final String SCHEMA = """
      {"type":"object","properties":{
        "vendor":{"type":"string"},
        "category":{"type":"string","enum":["travel","meals","software"]},
        "currency":{"type":"string","enum":["EUR"]},
        "lines":{"type":"integer"},
        "total":{"type":"number"},
        "paid":{"type":"boolean"},
        "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"integer"}}},
        "tags":{"type":"array","items":{"type":"string"}}},
       "required":["vendor","category","currency","lines","total","paid","address","tags"]}
      """;

  private static Simulator sim;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void clean() {
    sim.reset();
    sim.on(Rule.ANY_MODEL).matching("HARD").difficulty(5);
  }

  private static JsonNode schema() {
    return parse(SCHEMA);
  }

  private static ObjectNode format() {
    ObjectNode f = Json.object().put("type", "json_schema");
    f.putObject("json_schema").put("name", "invoice").set("schema", schema());
    return f;
  }

  private static JsonNode openAiJson(String model, String question) {
    return parse(Ask.openAi(sim, Ask.openAiBody(model, null, question, format())).text());
  }

  @Test
  void a_wrong_json_answer_keeps_the_shape_and_gets_about_half_of_the_leaves_wrong() {
    int changedTotal = 0;
    int leavesTotal = 0;
    for (int i = 0; i < 30; i++) {
      String q = "HARD: extract invoice " + i;
      String rightText = Ask.openAi(sim, Ask.openAiBody("gpt-4o", null, q, format())).text();
      assertEquals(Json.string(Answer.jsonFor(schema(), Tokens.hash(q))), rightText, "the right answer is today's");
      JsonNode right = parse(rightText);
      JsonNode wrong = openAiJson("gpt-4o-mini", q);
      List<String> rightLeaves = leaves(right, "");
      List<String> wrongLeaves = leaves(wrong, "");
      assertEquals(rightLeaves.size(), wrongLeaves.size(), wrong.toString());
      int changed = 0;
      for (int k = 0; k < rightLeaves.size(); k++) {
        String[] a = rightLeaves.get(k).split("=", 2);
        String[] b = wrongLeaves.get(k).split("=", 2);
        assertEquals(a[0], b[0], "same path and type: " + wrong);
        if (!a[1].equals(b[1])) {
          changed++;
        }
      }
      assertTrue(changed >= 1 && changed < rightLeaves.size(), changed + " of " + rightLeaves.size() + ": " + wrong);
      assertEquals("EUR", wrong.path("currency").asText(), "a one-value enum cannot be wrong");
      assertTrue(List.of("travel", "meals", "software").contains(wrong.path("category").asText()));
      changedTotal += changed;
      leavesTotal += rightLeaves.size() - 1;
    }
    double share = (double) changedTotal / leavesTotal;
    assertTrue(share > 0.4 && share < 0.65, "share of changeable leaves changed: " + share);
  }

  @Test
  void a_changed_enum_takes_another_allowed_value_and_a_changed_string_takes_off_topic_words() {
    boolean enumSeen = false;
    boolean stringSeen = false;
    for (int i = 0; i < 30 && !(enumSeen && stringSeen); i++) {
      String q = "HARD: file expense " + i;
      JsonNode right = openAiJson("gpt-4o", q);
      JsonNode wrong = openAiJson("gpt-4.1-nano", q);
      if (!right.path("category").equals(wrong.path("category"))) {
        enumSeen = true;
      }
      if (!right.path("vendor").equals(wrong.path("vendor"))) {
        stringSeen = true;
        Words.Tally t = Words.tally(wrong.path("vendor").asText());
        assertEquals(0, t.onTopic(), wrong.toString());
        assertTrue(t.offTopic() > 0, wrong.toString());
      }
    }
    assertTrue(enumSeen && stringSeen);
  }

  @Test
  void json_object_mode_and_anthropic_json_output_are_wrong_the_same_way_streamed_or_whole() {
    String q = "HARD: summarise as JSON";
    ObjectNode any = Json.object().put("type", "json_object");
    Ask.Reply whole = Ask.openAi(sim, Ask.openAiBody("mistral-small-latest", null, q, any));
    Ask.Reply streamed = Ask.openAiStream(sim, Ask.openAiBody("mistral-small-latest", null, q, any));
    assertEquals(whole, streamed);
    assertEquals(Tokens.count(whole.text()), whole.outputTokens());
    JsonNode wrong = parse(whole.text());
    JsonNode right = Answer.jsonFor(Json.object(), Tokens.hash(q));
    assertEquals(List.of("answer", "confidence"), fieldNames(wrong));
    assertTrue(!right.path("answer").equals(wrong.path("answer")) ^ !right.path("confidence").equals(
        wrong.path("confidence")), "one of the two leaves changed: " + wrong);

    Ask.Reply claude = Ask.anthropic(sim, Ask.anthropicBody("claude-3-5-haiku-20241022", null, q, schema()));
    Ask.Reply claudeStreamed = Ask.anthropicStream(sim,
        Ask.anthropicBody("claude-3-5-haiku-20241022", null, q, schema()));
    assertEquals(claude, claudeStreamed);
    assertEquals(Tokens.count(claude.text()), claude.outputTokens());
    String claudeRightText = Ask.anthropic(sim, Ask.anthropicBody("claude-opus-4-5", null, q, schema())).text();
    assertEquals(Json.string(Answer.jsonFor(schema(), Tokens.hash(q))), claudeRightText);
    JsonNode claudeRight = parse(claudeRightText);
    assertNotEquals(claudeRight, parse(claude.text()));
    assertEquals(fieldNames(claudeRight), fieldNames(parse(claude.text())));
  }

  /** Each leaf as "path:type=value", in document order. */
  private static List<String> leaves(JsonNode n, String path) {
    List<String> out = new ArrayList<>();
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.addAll(leaves(e.getValue(), path + "/" + e.getKey()));
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        out.addAll(leaves(n.get(i), path + "/" + i));
      }
    } else {
      out.add(path + ":" + n.getNodeType() + (n.isIntegralNumber() ? "int" : "") + "=" + n);
    }
    return out;
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode parse(String text) {
    JsonNode n = Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
    assertNotNull(n, "not JSON: " + text);
    return n;
  }
}
