package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Simulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies follow the config file without a restart; a broken file leaves the last good ones in force. */
class PolicyReloadIT {
  @TempDir Path dir;

  private String config(Simulator sim, String policies) {
    return "server: { port: 0 }\n"
        + "store: { url: \"sqlite:" + dir.resolve("tokenwise.db") + "\" }\n"
        + "providers:\n"
        + "  openai: { base_url: \"" + sim.baseUrl() + "/v1\" }\n"
        + policies;
  }

  private static void write(Path file, String text, int secondsLater) throws Exception {
    Files.writeString(file, text);
    // a distinct modification time even on file systems with coarse clocks
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  private static String modelSent(HttpClient http, Gateway gw, Simulator sim) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port()
        + "/v1/chat/completions")).header("authorization", "Bearer sk-test").header("x-tokenwise-tag", "classify")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    return Json.tryParse(sim.calls().get(sim.calls().size() - 1).body().getBytes()).path("model").asText();
  }

  /** Asks until the gateway sends {@code expected} (the reload is checked every second), at most 10 s. */
  private static void awaitModel(HttpClient http, Gateway gw, Simulator sim, String expected) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String sent = modelSent(http, gw, sim);
    while (!sent.equals(expected) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      sent = modelSent(http, gw, sim);
    }
    assertEquals(expected, sent);
  }

  @Test
  void policies_reload_when_the_file_changes_and_a_broken_file_is_refused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (Simulator sim = Simulator.start(0)) {
      Path file = dir.resolve("tokenwise.yaml");
      write(file, config(sim, ""), 0);
      try (Gateway gw = Gateway.start(ConfigLoader.load(file, Map.of()), Clock.systemUTC(), file, Map.of())) {
        assertEquals("gpt-4o", modelSent(http, gw, sim));
        assertEquals(Files.getLastModifiedTime(file), gw.policiesInForce());

        write(file, config(sim, "policies:\n  - match: { tag: classify }\n    route: { model: gpt-4o-mini }\n"), 5);
        awaitModel(http, gw, sim, "gpt-4o-mini");
        FileTime good = Files.getLastModifiedTime(file);
        assertEquals(good, gw.policiesInForce(), "the version in force is the one just written");

        write(file, config(sim, "policies:\n  - match: { tga: classify }\n    route: { model: gpt-4.1 }\n"), 10);
        Thread.sleep(2_500); // two reload checks pass over the broken file
        assertEquals("gpt-4o-mini", modelSent(http, gw, sim), "the last good policies stay in force");
        assertEquals(good, gw.policiesInForce(), "a refused version is never in force");
      }
    }
  }
}
