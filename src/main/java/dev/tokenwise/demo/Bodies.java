package dev.tokenwise.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.time.ZoneOffset;
import java.util.Random;

/** The request body of each pattern's calls, as its client sends it. */
final class Bodies {
  /** How an extraction call says that its invoice was badly scanned (the simulator runs away on it). */
  static final String POOR_SCAN = "scan quality: poor";
  /** How a classifier call asks; the ticket follows it. */
  static final String CLASSIFY_ASK = "Classify this ticket:";
  /** How a nightly call asks for a summary (the simulator answers at length). */
  static final String SUMMARY_ASK = "Summarise this report for the morning digest.";
  /** How a documentation question starts (the simulator answers at some length). */
  static final String DOC_QUESTION = "Question about the product documentation:";
  /** Share of the invoices that were badly scanned. */
  static final double POOR_SCAN_SHARE = 0.04;

  private static final String[] LABELS = {"billing", "bug", "account", "feature-request", "shipping", "other"};

  private Bodies() {}

  static String of(DemoCall call) {
    Random r = new Random(call.seed());
    ObjectNode body = Json.object().put("model", call.model());
    switch (call.tag()) {
      case DemoTraffic.CLASSIFY -> {
        body.put("temperature", 0).put("max_tokens", 4096);
        body.set("response_format", labelFormat());
        messages(body, Prompts.CLASSIFY, CLASSIFY_ASK + "\n\n" + Texts.ticket(r, (int) (call.seed() >>> 44)));
      }
      case DemoTraffic.SUPPORT -> {
        body.put("stream", true).put("temperature", 0.3);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", Prompts.support(call.at()));
        for (String[] m : call.chat().history(call.turn())) {
          messages.addObject().put("role", m[0]).put("content", m[1]);
        }
      }
      case DemoTraffic.FAQ -> {
        body.put("temperature", 0);
        messages(body, Prompts.FAQ, FaqQuestions.ask(r).text());
      }
      case DemoTraffic.EXTRACT -> {
        body.put("temperature", 0).put("max_tokens", 2048);
        body.putObject("response_format").put("type", "json_object");
        messages(body, Prompts.EXTRACT, Texts.invoice(r, (int) (call.seed() >>> 44), poorScan(call.seed())));
      }
      case DemoTraffic.NIGHTLY -> {
        body.put("max_tokens", 1024).put("system", Prompts.SUMMARY);
        int account = 10_000 + (int) Math.floorMod(call.seed(), 90_000L);
        String report = Texts.report(r, account, call.at().atZone(ZoneOffset.UTC).toLocalDate());
        body.putArray("messages").addObject().put("role", "user").put("content", SUMMARY_ASK + "\n\n" + report);
      }
      case DemoTraffic.RAG -> {
        body.put("max_tokens", 1024).put("system", Prompts.RAG);
        body.putArray("messages").addObject().put("role", "user").put("content", Texts.docQuestion(r));
      }
      default -> throw new IllegalArgumentException("no body for pattern " + call.tag());
    }
    return Json.string(body);
  }

  /** Whether an extraction call's invoice was badly scanned: about {@link #POOR_SCAN_SHARE} of them. */
  static boolean poorScan(long seed) {
    return new Random(seed ^ 0x5ca1ab1eL).nextDouble() < POOR_SCAN_SHARE;
  }

  private static void messages(ObjectNode body, String system, String user) {
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
  }

  private static ObjectNode labelFormat() {
    ObjectNode format = Json.object().put("type", "json_schema");
    ObjectNode schema = format.putObject("json_schema").put("name", "ticket_label").put("strict", true)
        .putObject("schema").put("type", "object").put("additionalProperties", false);
    ArrayNode labels = schema.putObject("properties").putObject("label").put("type", "string").putArray("enum");
    for (String l : LABELS) {
      labels.add(l);
    }
    schema.putArray("required").add("label");
    return format;
  }
}
