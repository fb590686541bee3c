package dev.tokenwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.app.Audits;
import dev.tokenwise.audit.AuditReport;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.core.Json;
import dev.tokenwise.demo.DemoResult;
import dev.tokenwise.demo.DemoRunner;
import dev.tokenwise.demo.DemoTraffic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's month of traffic through the real gateway and simulator, then the audit: each pattern's
 * planted waste is found, the safe recommendations are applied to the running gateway's config, and the
 * next month's measured bill shows them at work. A quarter of the demo's volume, so that every rule has
 * the calls it needs.
 */
class AuditDemoIT {
  private static final double SCALE = 0.25;

  @TempDir Path dir;

  @Test
  void the_audit_finds_the_waste_planted_in_each_pattern_and_the_safe_fixes_lower_the_next_bill() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoAudit steps = new DemoAudit();
    DemoResult result;
    try {
      result = DemoRunner.run(DemoRunner.Options.defaults(new PrintStream(printed, true, StandardCharsets.UTF_8))
          .folder(dir.resolve("demo")).scale(SCALE).live(false), steps);
    } catch (RuntimeException e) {
      System.out.println(printed.toString(StandardCharsets.UTF_8));
      throw e;
    }
    String said = printed.toString(StandardCharsets.UTF_8);
    AuditReport first = steps.first();
    Map<String, List<Finding>> found = first.top().stream()
        .collect(Collectors.toMap(AuditReport.PatternSection::pattern, AuditReport.PatternSection::findings));
    assertEquals(6, found.size(), said);

    // the classifier: a frontier model for a label, with a cap 500 times the need
    Finding swap = finding(found, DemoTraffic.CLASSIFY, "model", said);
    assertEquals("needs eval", swap.status());
    assertEquals(Map.of("model", "gpt-4o-mini"), swap.recommendation().value());
    Finding cap = finding(found, DemoTraffic.CLASSIFY, "cap", said);
    assertEquals(4096, cap.evidence().get("cap"));
    assertTrue((Long) cap.evidence().get("p99_output_tokens") < 20, cap.evidence().toString());

    // the support chat: history that grows turn after turn, and a head that changes with the time in it
    Finding context = finding(found, DemoTraffic.SUPPORT, "context", said);
    assertTrue(context.monthlySavingPicoUsd() > 0);
    Finding head = finding(found, DemoTraffic.SUPPORT, "prompt-cache", said);
    assertNotNull(head.recommendation().blockedBy(), "the fix is in the app");
    assertTrue(head.recommendation().blockedBy().matches("(?s).*“…\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}….*"),
        "says where two heads part: " + head.recommendation().blockedBy());

    // the FAQ bot: word-for-word repeats a cache serves safely (its reworded questions are too few at this
    // scale for the semantic cache to serve enough of them; StoredQuestionsTest replays such questions)
    Finding exact = finding(found, DemoTraffic.FAQ, "cache-exact", said);
    assertTrue(exact.recommendation().safe(), exact.toString());

    // the JSON extractor: answers that run on to the cap
    Finding runaway = finding(found, DemoTraffic.EXTRACT, "cap", said);
    assertTrue((Integer) runaway.evidence().get("runaway_calls") > 0, runaway.evidence().toString());
    assertTrue(runaway.monthlySavingPicoUsd() > 0);

    // the nightly summaries: work that can wait for the batch lane
    assertNotNull(finding(found, DemoTraffic.NIGHTLY, "batch", said).recommendation().blockedBy());

    // the RAG answerer: a long stable head sent again and again without the provider's cache
    Finding cache = finding(found, DemoTraffic.RAG, "prompt-cache", said);
    assertTrue(cache.recommendation().safe());

    // the safe ones were written into the config, which the gateway put in force for month 2
    String yaml = Files.readString(result.folder().resolve("tokenwise.yaml"));
    assertTrue(yaml.contains("pattern: " + DemoTraffic.RAG) && yaml.contains("prompt_cache: auto"), yaml);
    assertTrue(yaml.contains("pattern: " + DemoTraffic.FAQ) && yaml.contains("exact: true"), yaml);
    // the first month audited again under the new config shows them applied; in the second the waste is gone
    Config applied = ConfigLoader.load(result.folder().resolve("tokenwise.yaml"), Map.of());
    try (LogStore store = LogStores.open(applied.store().url())) {
      AuditReport again = Audits.run(applied, store, first.period(), first.period().to(), DemoAudit.TOP);
      assertEquals("applied", finding(sections(again), DemoTraffic.RAG, "prompt-cache", said).status());
      assertEquals("applied", finding(sections(again), DemoTraffic.FAQ, "cache-exact", said).status());
    }
    AuditReport second = steps.second();
    assertTrue(sections(second).get(DemoTraffic.RAG).stream().noneMatch(f -> f.rule().equals("prompt-cache")),
        "the RAG calls read the prompt cache now");
    assertTrue(second.saved().stream().anyMatch(t -> t.tactic().equals("prompt_cache") && t.savedPicoUsd() > 0));
    DemoResult.Bill rag = result.pattern(DemoTraffic.RAG);
    assertTrue(rag.secondPicoUsd() < rag.firstPicoUsd(), "the prompt cache cut the RAG bill: " + rag);
    DemoResult.Bill faq = result.pattern(DemoTraffic.FAQ);
    assertTrue(faq.secondPicoUsd() < faq.firstPicoUsd(), "the exact cache cut the FAQ bill: " + faq);
    DemoResult.Bill classify = result.pattern(DemoTraffic.CLASSIFY);
    assertEquals(classify.firstCalls(), classify.secondCalls(), "the same workload both months");

    // the classifier's swap was proven by a sweep of its calls before it was applied
    var sweep = steps.sweep();
    assertEquals("done", sweep.status(), said);
    assertTrue(sweep.items() >= 40, "a set of the month's calls: " + sweep.items());
    assertEquals(1.0, sweep.model("gpt-4o").passRate(), 1e-9, "gpt-4o agrees with its own answers");
    String winner = sweep.verdict().model();
    assertNotNull(winner, said);
    assertTrue(!sweep.verdict().keepCurrent(), "a cheaper model passes: " + said);
    Finding proven = finding(sections(steps.proven()), DemoTraffic.CLASSIFY, "model", said);
    assertEquals("proven", proven.status());
    String routed = (String) ((Map<?, ?>) proven.recommendation().value()).get("model");
    assertEquals(winner, routed.substring(routed.indexOf('/') + 1), "the sweep's model, by its provider's name");
    assertTrue(yaml.contains("route: { model: " + routed + " }"), yaml);
    assertTrue(classify.secondPicoUsd() < classify.firstPicoUsd(), "the proven swap cut the classifier's bill: "
        + classify);

    // the JSON report's total is the log's own sum over the period it names
    JsonNode json = Json.MAPPER.readTree(result.folder().resolve("audit-month-1.json").toFile());
    String sql = json.at("/totals/spend/query/sql").asText();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + result.folder().resolve("tokenwise.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      assertEquals(json.at("/totals/spend/pico_usd").asLong(), rs.getLong(1), sql);
      assertEquals(json.at("/totals/spend/rows").asLong(), rs.getLong(2), sql);
    }
    assertEquals(result.total().firstPicoUsd(), first.current().spendPicoUsd(), "the demo's bill and the audit agree");
  }

  private static Map<String, List<Finding>> sections(AuditReport report) {
    return report.top().stream()
        .collect(Collectors.toMap(AuditReport.PatternSection::pattern, AuditReport.PatternSection::findings));
  }

  private static Finding finding(Map<String, List<Finding>> found, String pattern, String rule, String said) {
    Optional<Finding> f = found.getOrDefault(pattern, List.of()).stream().filter(x -> x.rule().equals(rule))
        .findFirst();
    assertTrue(f.isPresent(), pattern + " has no " + rule + " finding; it has "
        + found.getOrDefault(pattern, List.of()).stream().map(Finding::rule).toList() + "\n" + said);
    return f.get();
  }
}
