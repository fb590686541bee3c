package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunnerTest {
  @TempDir Path dir;

  @Test
  void it_never_wipes_a_folder_it_did_not_make() throws Exception {
    Path folder = dir.resolve("mine");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("notes.txt"), "keep me");
    DemoRunner.Options options = DemoRunner.Options.defaults(System.out).folder(folder);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoRunner.run(options, DemoSteps.NONE));
    assertTrue(e.getMessage().contains("was not made by the demo"), e.getMessage());
    assertEquals("keep me", Files.readString(folder.resolve("notes.txt")));
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    assertThrows(IllegalStateException.class, () -> DemoRunner.run(options.folder(file), DemoSteps.NONE));
  }

  @Test
  void options_refuse_a_scale_outside_zero_to_one() {
    DemoRunner.Options o = DemoRunner.Options.defaults(System.out);
    assertThrows(IllegalArgumentException.class, () -> o.scale(0));
    assertThrows(IllegalArgumentException.class, () -> o.scale(2));
    assertEquals(0.5, o.scale(0.5).scale());
  }

  @Test
  void the_config_it_writes_loads_without_a_problem() throws Exception {
    Path file = dir.resolve("tokenwise.yaml");
    Files.writeString(file, DemoConfig.yaml(dir.resolve("with \"quotes\""), "http://127.0.0.1:4567"));
    Config c = ConfigLoader.load(file, Map.of());
    assertEquals("http://127.0.0.1:4567/v1", c.providers().get("openai").baseUrl());
    assertEquals("http://127.0.0.1:4567", c.providers().get("anthropic").baseUrl());
    assertEquals("sqlite:" + dir.resolve("with \"quotes\"").resolve("tokenwise.db"), c.store().url());
    assertEquals(0, c.server().port());
    assertEquals(List.of(), c.policies());
    assertTrue(c.log().retention().compareTo(Duration.ofDays(60)) > 0, "two months of bodies are kept");
    assertTrue(c.retry().maxBackoff().toMillis() <= 50, "a retry waits in real time: briefly");
  }

  @Test
  void the_bill_prints_both_months_to_the_cent_with_what_was_saved() {
    DemoContext.Month one = new DemoContext.Month(Instant.parse("2026-10-01T00:00:00Z"),
        Instant.parse("2026-10-31T00:00:00Z"));
    DemoContext.Month two = new DemoContext.Month(one.end(), Instant.parse("2026-11-30T00:00:00Z"));
    DemoResult r = new DemoResult(dir, one, two,
        List.of(new DemoResult.Bill("rag-answer", 3600, 60_094_567_000_000L, 0, 3600, 9_000_000_000_000L, 0),
            new DemoResult.Bill("faq-bot", 3000, 60_000_000_000L, 0, 3000, 100_000_000_000L, 0)),
        new DemoResult.Bill("total", 6600, 60_154_567_000_000L, 0, 6600, 9_100_000_000_000L, 0),
        Duration.ofSeconds(20), Duration.ofSeconds(15));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoRunner.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), r);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("rag-answer             3,600       $60.09     3,600        $9.00       $51.09", lines.get(2));
    assertEquals("faq-bot                3,000        $0.06     3,000        $0.10       -$0.04", lines.get(3));
    assertEquals("total                  6,600       $60.15     6,600        $9.10       $51.05", lines.get(5));
    assertEquals(new java.math.BigDecimal("51.054567000000"), r.total().savedUsd());
  }
}
