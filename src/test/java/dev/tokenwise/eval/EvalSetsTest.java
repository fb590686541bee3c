package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.store.EvalTable;
import dev.tokenwise.store.RequestRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSetsTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  @TempDir Path dir;

  static RequestRecord row(String id, Instant time, String question, String answer, boolean stream) {
    String request = "{\"model\":\"gpt-4o\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"Classify the ticket.\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    String response = answer == null ? null : stream
        ? "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"" + answer + "\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        : "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\"" + answer + "\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":2}}";
    return new RequestRecord(id, time, "t", "classify", "openai-chat", "/v1/chat/completions", "openai", "gpt-4o",
        "gpt-4o-2024-08-06", 20, 0, 0, 0, 2, 0, false, 1000L, 1000L, 10, 20, 200, stream, "stop", 1, "miss", null,
        request, response, null);
  }

  @Test
  void repeats_are_dropped_the_set_spreads_over_time_and_answers_are_the_reference() {
    List<RequestRecord> newestFirst = new ArrayList<>();
    for (int i = 99; i >= 0; i--) {
      newestFirst.add(row("r" + i, T0.plusSeconds(60L * i), "ticket " + (i % 50), "label " + (i % 50), i % 3 == 0));
    }
    newestFirst.add(1, row("bodiless", T0.plusSeconds(6000), "x", null, false));

    EvalSets.Drawn d = EvalSets.fromLog("ev-1", newestFirst, 10);

    assertEquals(101, d.read());
    assertEquals(50, d.repeats(), "each question came twice; the newest of each is kept");
    assertEquals(1, d.unusable());
    assertEquals(10, d.items().size());
    List<EvalTable.Item> items = d.items();
    assertEquals("request r50", items.get(0).source(), "the oldest kept call opens the set");
    assertEquals("request r99", items.get(9).source(), "the newest closes it");
    for (int i = 1; i < items.size(); i++) {
      assertTrue(items.get(i).time().isAfter(items.get(i - 1).time()));
      assertEquals(i + 1, items.get(i).no());
    }
    EvalTable.Item first = items.get(0);
    assertEquals("label 0", first.reference());
    assertEquals("system:\nClassify the ticket.\n\nuser:\nticket 0", first.input());
    assertTrue(!first.requestBody().contains("\"stream\""), "the replay is asked whole");
    assertEquals(20, first.refInputTokens());
  }

  @Test
  void a_streamed_answer_is_reassembled_for_the_reference() {
    EvalSets.Drawn d = EvalSets.fromLog("ev-1", List.of(row("s", T0, "q", "streamed label", true)), 5);
    assertEquals("streamed label", d.items().get(0).reference());
  }

  @Test
  void a_set_file_takes_inputs_messages_and_whole_requests() throws Exception {
    Path f = dir.resolve("set.jsonl");
    Files.writeString(f, """
        # tickets with their labels
        {"input": "My parcel is late", "expected": "delivery", "id": "t1"}
        {"messages": [{"role": "user", "content": "Refund please"}], "expected": {"label": "refund"}}

        {"request": {"model": "x", "max_tokens": 50, "system": "Be brief", "messages": [{"role": "user", "content": "Hi"}]}, "dialect": "anthropic-messages", "rubric": "greets back"}
        """);
    List<EvalTable.Item> items = EvalSets.fromFile("ev-2", f, "gpt-4o", T0);
    assertEquals(3, items.size());
    assertEquals("set t1", items.get(0).source());
    assertEquals("delivery", items.get(0).reference());
    assertTrue(items.get(0).requestBody().contains("\"model\":\"gpt-4o\""));
    assertEquals("{\"label\":\"refund\"}", items.get(1).reference());
    assertEquals("set line 5", items.get(2).source());
    assertEquals("anthropic-messages", items.get(2).dialect());
    assertEquals("greets back", items.get(2).rubric());
    assertEquals("system:\nBe brief\n\nuser:\nHi", items.get(2).input());
  }

  @Test
  void a_bad_set_file_is_refused_with_its_line() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"input\": \"a\", \"expected\": \"b\"}\n{\"input\": \"no answer\"}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvalSets.fromFile("ev", f, "gpt-4o", T0));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("expected"), e.getMessage());

    Files.writeString(f, "not json\n");
    e = assertThrows(IllegalArgumentException.class, () -> EvalSets.fromFile("ev", f, "gpt-4o", T0));
    assertTrue(e.getMessage().contains("line 1: not a JSON object"), e.getMessage());

    Files.writeString(f, "# nothing\n");
    e = assertThrows(IllegalArgumentException.class, () -> EvalSets.fromFile("ev", f, "gpt-4o", T0));
    assertTrue(e.getMessage().contains("no items"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> EvalSets.fromFile("ev", dir.resolve("none"), "m", T0));
    assertTrue(e.getMessage().startsWith("cannot read the set file"), e.getMessage());
  }

  @Test
  void spread_keeps_both_ends_and_takes_all_when_there_are_few() {
    assertEquals(List.of(0, 3, 6, 9), EvalSets.spread(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 4));
    assertEquals(List.of(1, 2), EvalSets.spread(List.of(1, 2), 5));
  }
}
