package dev.tokenwise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each package imports only what the layout table of the style guide allows. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/tokenwise");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.tokenwise\\.([a-z.]+)\\.[A-Z]",
      Pattern.MULTILINE);
  private static final Pattern HTTP_SERVER = Pattern.compile("^import io\\.helidon\\.webserver", Pattern.MULTILINE);

  /** Package (relative to dev.tokenwise) to the packages it may import. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("core", Set.of()),
      Map.entry("config", Set.of("core")),
      Map.entry("api.openai", Set.of("core")),
      Map.entry("api.anthropic", Set.of("core")),
      Map.entry("api.translate", Set.of("core", "api.openai", "api.anthropic")),
      Map.entry("provider", Set.of("core", "config")),
      Map.entry("provider.sim", Set.of("core", "provider")),
      Map.entry("policy", Set.of("core", "config", "provider", "cache")),
      Map.entry("cache", Set.of("core")),
      Map.entry("cache.semantic", Set.of("core", "cache")),
      Map.entry("store", Set.of("core")),
      Map.entry("analytics", Set.of("core", "config", "store")),
      Map.entry("guard", Set.of("core", "config")),
      Map.entry("server", Set.of("core", "config", "api.openai", "api.anthropic", "api.translate", "policy", "store",
          "analytics", "guard")),
      Map.entry("web", Set.of("core", "store", "analytics", "eval")),
      Map.entry("audit", Set.of("core", "config", "analytics", "store", "policy")),
      Map.entry("eval", Set.of("core", "config", "analytics", "store", "cache", "cache.semantic", "api.translate")),
      Map.entry("audit.rules", Set.of("core", "analytics", "store", "policy", "audit")),
      Map.entry("app", Set.of("*")),
      Map.entry("demo", Set.of("app", "config", "provider.sim", "core", "store", "analytics")),
      Map.entry("cli", Set.of("app", "demo", "audit", "eval", "config", "provider.sim", "core", "store",
          "analytics")));

  /** Only these packages may use the HTTP server library. */
  private static final Set<String> HTTP_SERVER_USERS = Set.of("server", "provider.sim", "web");

  @Test
  void packages_import_only_what_the_layout_allows() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
        String src = Files.readString(f);
        Set<String> allowed = ALLOWED.get(pkg);
        if (allowed == null) {
          violations.add(f + ": package " + pkg + " is not in the layout table");
          continue;
        }
        Matcher m = IMPORT.matcher(src);
        while (m.find()) {
          String target = m.group(1);
          if (!target.equals(pkg) && !allowed.contains("*") && !allowed.contains(target)) {
            violations.add(f.getFileName() + " (" + pkg + ") imports " + target);
          }
        }
        if (HTTP_SERVER.matcher(src).find() && !HTTP_SERVER_USERS.contains(pkg)) {
          violations.add(f.getFileName() + " (" + pkg + ") uses the HTTP server library");
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
