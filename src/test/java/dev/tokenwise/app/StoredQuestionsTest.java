package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.CallShape;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import dev.tokenwise.store.RequestRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored questions replayed through the semantic cache's real model, threshold and gate. */
class StoredQuestionsTest {
  private static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");
  private static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  private static String body(String question) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"FAQ bot.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  @Test
  void serves_the_same_question_typed_another_way_within_the_ttl_and_nothing_else() {
    String[] asked = {
        "How do I reset my password?",        // kept
        "how do i reset my password",         // the same ask typed in a hurry: served
        "How do I reset my API key?",         // another ask: the gate refuses it
        "Where can I download my invoices?",  // kept
        "where can I download my invoices",   // served
        "how do I reset my password?"};       // two days later: the kept one has expired
    long[] at = {0, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 50 * HOUR};
    List<RequestRecord> rows = new ArrayList<>();
    List<CallRow> calls = new ArrayList<>();
    CallShape shape = new CallShape(1, 1, 7, 7, 4, 1, -1, 9, CallShape.REPEATABLE);
    for (int i = 0; i < asked.length; i++) {
      String id = "q-" + i;
      rows.add(new RequestRecord(id, T0.plusMillis(at[i]), "t", "faq-bot", "openai-chat", "/v1/chat/completions",
          "openai", "gpt-4o-mini", "gpt-4o-mini", 30, 0, 0, 0, 20, 0, false, 1L, 1L, 1, 1, 200, false, "stop", 1,
          "miss", null, body(asked[i]), null, null));
      calls.add(new CallRow(id, T0.toEpochMilli() + at[i], "t", "faq-bot", "openai-chat", "openai", "gpt-4o-mini",
          "gpt-4o-mini", 30, 0, 0, 20, 1L, 1L, 1, 200, false, "stop", 1, "miss", shape));
    }
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("log.db"));
        StoredQuestions replay = new StoredQuestions(store)) {
      store.insert(rows);

      Optional<boolean[]> hits = replay.nearHits(calls, 24 * HOUR);

      assertArrayEquals(new boolean[] {false, true, false, false, true, false}, hits.orElseThrow());
    }
  }

  @Test
  void says_nothing_when_the_bodies_were_not_kept() {
    CallShape shape = new CallShape(1, 1, 7, 7, 4, 1, -1, 9, CallShape.REPEATABLE);
    List<CallRow> calls = List.of(new CallRow("gone", T0.toEpochMilli(), "t", "faq-bot", "openai-chat", "openai",
        "gpt-4o-mini", "gpt-4o-mini", 30, 0, 0, 20, 1L, 1L, 1, 200, false, "stop", 1, "miss", shape));
    try (LogStore store = LogStores.open("sqlite:" + dir.resolve("log.db"));
        StoredQuestions replay = new StoredQuestions(store)) {
      assertEquals(Optional.empty(), replay.nearHits(calls, HOUR));
    }
  }
}
