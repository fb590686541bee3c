package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the gateway writes every answered call to the log before it ends. */
class ShutdownIT {
  @TempDir Path dir;

  @Test
  void every_answered_call_is_in_the_log_after_a_stop() throws Exception {
    List<String> ids = new ArrayList<>();
    try (GatewayHarness h = new GatewayHarness(dir)) {
      for (int i = 0; i < 50; i++) {
        HttpResponse<String> res = h.post("/v1/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"call " + i + "\"}]}",
            "authorization", "Bearer sk-test", "content-type", "application/json");
        assertEquals(200, res.statusCode(), res.body());
        ids.add(res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
      }
    }
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("tokenwise.db"))) {
      for (String id : ids) {
        assertEquals(id, store.find(id).orElseThrow(() -> new AssertionError("lost " + id)).id());
      }
      assertEquals(50, store.count());
    }
  }
}
