package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.audit.ApplyCommand;
import dev.tokenwise.audit.PatternFacts;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the running gateway does with a file {@code tokenwise apply} wrote: its reloader loads the file
 * and builds the policies from it, and the pattern's calls then meet the new policy first.
 */
class PoliciesAfterApplyTest {
  @TempDir
  Path dir;

  /** As {@code PolicyReloader.reload} reads the file. */
  private static Policies reload(Path file, Map<String, String> env) {
    return Policies.of(ConfigLoader.load(file, env).policies());
  }

  @Test
  void a_reload_of_the_written_file_puts_the_patterns_policy_first_with_the_key() throws Exception {
    Map<String, String> env = Map.of("CAP", "512");
    Path file = dir.resolve("tokenwise.yaml");
    Files.writeString(file, """
        policies:
          # every gpt-4o call gets a cap
          - match: { model: gpt-4o }
            max_tokens: { cap: "${CAP}" }
        """);
    assertEquals("policies[0]", reload(file, env).match("classify-ticket", "classify-ticket", "gpt-4o", "openai")
        .orElseThrow().name());
    Recommendation rec = new Recommendation("cache-exact/classify-ticket", "classify-ticket", "cache",
        Map.of("exact", true, "ttl", "1h"), false, null);

    int code = ApplyCommand.run(file, env, List.of(rec), p -> new PatternFacts(p, "gpt-4o", "openai"), rec.id(),
        false, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));

    assertEquals(0, code);
    Policies after = reload(file, env);
    Policy p = after.match("classify-ticket", "classify-ticket", "gpt-4o", "openai").orElseThrow();
    assertEquals("policies[0]", p.name());
    assertEquals("classify-ticket", p.pattern());
    assertEquals(Map.of("exact", true, "ttl", "1h"), p.tactic("cache"));
    assertEquals(Map.of("cap", "512"), p.tactic("max_tokens"), "the pattern keeps the cap it had, ${CAP} and all");
    assertEquals(2, Files.readString(file).split("cap: \"\\$\\{CAP}\"", -1).length - 1, "copied as written");
    Policy others = after.match(null, "fp-0123456789ab", "gpt-4o", "openai").orElseThrow();
    assertEquals("policies[1]", others.name());
    assertEquals(null, others.tactic("cache"), "other gpt-4o calls are untouched");
  }
}
