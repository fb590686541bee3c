package dev.tokenwise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The generated month has the volumes and the waste it promises, the same for a seed in any month. */
class DemoTrafficTest {
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  /** Enough calls for the shares to be tight, few enough for the bodies to build in a second. */
  private static final DemoTraffic MONTH = DemoTraffic.month(42, START, 0.25);

  private static List<DemoCall> of(DemoTraffic month, String tag) {
    return month.calls().stream().filter(c -> c.tag().equals(tag)).toList();
  }

  private static JsonNode body(DemoCall c) {
    return Json.tryParse(c.body().getBytes(StandardCharsets.UTF_8));
  }

  private static String user(JsonNode body) {
    JsonNode messages = body.path("messages");
    return messages.path(messages.size() - 1).path("content").asText();
  }

  private static int hour(DemoCall c) {
    return c.at().atZone(ZoneOffset.UTC).getHour();
  }

  @Test
  void a_seed_gives_the_same_calls_and_another_seed_others() {
    DemoTraffic again = DemoTraffic.month(42, START, 0.25);
    DemoTraffic other = DemoTraffic.month(43, START, 0.25);
    assertEquals(MONTH.calls().size(), again.calls().size());
    for (int i = 0; i < MONTH.calls().size(); i += 37) {
      DemoCall a = MONTH.calls().get(i);
      DemoCall b = again.calls().get(i);
      assertEquals(a.toString(), b.toString());
      if (a.chat() == null) {
        assertEquals(a.body(), b.body(), a.toString());
      }
    }
    assertNotEquals(MONTH.calls().get(0).at(), other.calls().get(0).at());
  }

  @Test
  void the_next_month_with_the_same_seed_is_the_same_workload_thirty_days_later() {
    DemoTraffic next = DemoTraffic.month(42, MONTH.end(), 0.25);
    assertEquals(MONTH.end(), START.plus(Duration.ofDays(30)));
    assertEquals(MONTH.callsPerTag(), next.callsPerTag());
    for (int i = 0; i < MONTH.calls().size(); i += 41) {
      DemoCall a = MONTH.calls().get(i);
      DemoCall b = next.calls().get(i);
      assertEquals(a.at().plus(DemoTraffic.MONTH), b.at());
      assertEquals(a.tag(), b.tag());
      if (!a.tag().equals(DemoTraffic.SUPPORT) && !a.tag().equals(DemoTraffic.NIGHTLY)) {
        assertEquals(a.body(), b.body(), "only the dates in support prompts and reports differ: " + a);
      }
    }
    assertEquals(MONTH.faults().get(0).from().plus(DemoTraffic.MONTH), next.faults().get(0).from());
  }

  @Test
  void the_calls_are_in_time_order_inside_the_month_with_six_patterns_in_their_full_volumes() {
    DemoTraffic full = DemoTraffic.month(42, START, 1.0);
    List<DemoCall> calls = full.calls();
    for (int i = 1; i < calls.size(); i++) {
      assertTrue(!calls.get(i).at().isBefore(calls.get(i - 1).at()), "call " + i + " is out of order");
    }
    assertTrue(!calls.get(0).at().isBefore(START) && calls.getLast().at().isBefore(full.end()));
    Map<String, Integer> n = full.callsPerTag();
    assertEquals(DemoTraffic.TAGS, List.copyOf(n.keySet()));
    assertEquals(2100, n.get(DemoTraffic.CLASSIFY), 100);
    assertEquals(3000, n.get(DemoTraffic.SUPPORT), 400);
    assertEquals(3000, n.get(DemoTraffic.FAQ), 150);
    assertEquals(2100, n.get(DemoTraffic.EXTRACT), 100);
    assertEquals(3750, n.get(DemoTraffic.NIGHTLY), 300);
    assertEquals(3600, n.get(DemoTraffic.RAG), 150);
    assertTrue(calls.size() < 18_000, "a month at full scale replays in well under a minute: " + calls.size());
  }

  @Test
  void a_smaller_scale_keeps_the_mix() {
    Map<String, Integer> full = DemoTraffic.month(42, START, 1.0).callsPerTag();
    Map<String, Integer> tenth = DemoTraffic.month(42, START, 0.1).callsPerTag();
    int all = full.values().stream().mapToInt(Integer::intValue).sum();
    int some = tenth.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals(all * 0.1, some, all * 0.01);
    for (String tag : DemoTraffic.TAGS) {
      assertEquals((double) full.get(tag) / all, (double) tenth.get(tag) / some, 0.02, tag);
    }
    assertThrows(IllegalArgumentException.class, () -> DemoTraffic.month(42, START, 0));
    assertThrows(IllegalArgumentException.class, () -> DemoTraffic.month(42, START, 1.5));
  }

  @Test
  void ticket_classification_sends_long_tickets_to_a_frontier_model_with_a_huge_cap_in_working_hours() {
    for (DemoCall c : of(MONTH, DemoTraffic.CLASSIFY)) {
      JsonNode b = body(c);
      assertEquals("gpt-4o", b.path("model").asText());
      assertEquals(Dialect.OPENAI, c.dialect());
      assertEquals(4096, b.path("max_tokens").asInt());
      assertEquals(0, b.path("temperature").asInt());
      assertTrue(!b.path("stream").asBoolean());
      assertEquals("json_schema", b.path("response_format").path("type").asText());
      int tokens = Texts.tokens(user(b));
      assertTrue(tokens >= 600 && tokens <= 960, tokens + " tokens in " + c);
      assertTrue(hour(c) >= 8 && hour(c) < 18, c.toString());
    }
  }

  @Test
  void support_chats_grow_turn_after_turn_with_the_answers_and_an_unstable_first_line() {
    Map<Chat, List<DemoCall>> chats = new HashMap<>();
    of(MONTH, DemoTraffic.SUPPORT).forEach(c -> chats.computeIfAbsent(c.chat(), k -> new ArrayList<>()).add(c));
    assertTrue(chats.size() > 50, "conversations: " + chats.size());
    Set<String> firstLines = new HashSet<>();
    Set<String> rests = new HashSet<>();
    for (List<DemoCall> turns : chats.values()) {
      assertTrue(turns.size() >= 3 && turns.size() <= 20, "turns: " + turns.size());
      int lastSize = 0;
      for (DemoCall c : turns) {
        assertTrue(c.stream());
        JsonNode b = body(c);
        JsonNode messages = b.path("messages");
        String system = messages.path(0).path("content").asText();
        String first = system.substring(0, system.indexOf('\n'));
        assertEquals("Current time: " + c.at().toString().substring(0, 16).replace('T', ' ') + " UTC", first);
        firstLines.add(first);
        rests.add(system.substring(system.indexOf('\n')));
        assertTrue(Texts.tokens(system) > 1900, "a long system prompt");
        assertEquals(2 * c.turn() + 2, messages.size(), "every earlier turn with its answer, then this one");
        for (int t = 0; t < c.turn(); t++) {
          assertEquals("answer " + t, messages.path(2 + 2 * t).path("content").asText());
        }
        int size = Texts.tokens(b.toString());
        assertTrue(size > lastSize, "the history grows");
        lastSize = size;
        c.chat().finished(c.turn(), "answer " + c.turn());
      }
    }
    assertEquals(1, rests.size(), "only the first line changes");
    assertTrue(firstLines.size() > chats.size(), "the time line changes within conversations");
  }

  @Test
  void a_failed_turn_leaves_its_question_unanswered_in_the_history() {
    Chat chat = new Chat(7, 3);
    chat.finished(0, null);
    chat.finished(1, "second answer");
    List<String[]> h = chat.history(2);
    assertEquals(List.of("user", "user", "assistant", "user"), h.stream().map(m -> m[0]).toList());
    assertEquals("second answer", h.get(2)[1]);
  }

  @Test
  void faq_questions_repeat_word_for_word_or_in_other_words() {
    List<DemoCall> calls = of(MONTH, DemoTraffic.FAQ);
    Set<String> canonical = new HashSet<>();
    Map<String, Integer> rewordings = new HashMap<>();
    for (int i = 0; i < FaqQuestions.POPULAR.length; i++) {
      canonical.add(FaqQuestions.POPULAR[i][0]);
      rewordings.put(FaqQuestions.POPULAR[i][1], i);
      rewordings.put(FaqQuestions.POPULAR[i][2], i);
    }
    Set<String> seen = new HashSet<>();
    int repeats = 0;
    int exact = 0;
    int paraphrases = 0;
    Set<String> systems = new HashSet<>();
    for (DemoCall c : calls) {
      JsonNode b = body(c);
      assertEquals("gpt-4o-mini", b.path("model").asText());
      assertEquals(0, b.path("temperature").asInt());
      systems.add(b.path("messages").path(0).path("content").asText());
      String q = user(b);
      if (!seen.add(q)) {
        repeats++;
      }
      if (canonical.contains(q)) {
        exact++;
      } else if (rewordings.keySet().stream().anyMatch(q::contains) || typedVariant(canonical, q)) {
        paraphrases++;
      }
    }
    double n = calls.size();
    assertEquals(1, systems.size(), "one short system prompt");
    assertEquals(FaqQuestions.EXACT_SHARE, exact / n, 0.04, "asked word for word");
    assertEquals(FaqQuestions.PARAPHRASE_SHARE, paraphrases / n, 0.04, "asked in other words");
    assertTrue(repeats / n >= 0.33 && repeats / n <= 0.5, "bodies seen before: " + repeats / n);
    Set<String> unique = new HashSet<>();
    for (DemoCall c : calls) {
      String q = user(body(c));
      if (!canonical.contains(q) && rewordings.keySet().stream().noneMatch(q::contains)
          && !typedVariant(canonical, q)) {
        assertTrue(unique.add(q), "a customer's own question is asked once: " + q);
      }
    }
  }

  @Test
  void invoice_extraction_asks_for_json_with_a_large_cap_and_a_few_bad_scans_run_away() {
    DemoTraffic full = DemoTraffic.month(42, START, 1.0);
    List<DemoCall> calls = of(full, DemoTraffic.EXTRACT);
    long poor = calls.stream().filter(c -> Bodies.poorScan(c.seed())).count();
    assertEquals(Bodies.POOR_SCAN_SHARE, (double) poor / calls.size(), 0.01, "bad scans, which run away");
    for (DemoCall c : calls.subList(0, 300)) {
      JsonNode b = body(c);
      assertEquals("gpt-4.1-mini", b.path("model").asText());
      assertEquals(2048, b.path("max_tokens").asInt());
      assertEquals("json_object", b.path("response_format").path("type").asText());
      assertEquals(Bodies.poorScan(c.seed()), user(b).contains(Bodies.POOR_SCAN), c.toString());
    }
  }

  @Test
  void nightly_summaries_come_in_a_burst_between_two_and_half_past_two() {
    Map<LocalDate, Integer> perNight = new HashMap<>();
    DemoTraffic full = DemoTraffic.month(42, START, 1.0);
    for (DemoCall c : of(full, DemoTraffic.NIGHTLY)) {
      var t = c.at().atZone(ZoneOffset.UTC);
      assertEquals(2, t.getHour(), c.toString());
      assertTrue(t.getMinute() < 30, c.toString());
      assertEquals(Dialect.ANTHROPIC, c.dialect());
      perNight.merge(t.toLocalDate(), 1, Integer::sum);
    }
    assertEquals(30, perNight.size());
    perNight.values().forEach(n -> assertTrue(n >= 100 && n <= 150, "calls in a night: " + n));
    for (DemoCall c : of(MONTH, DemoTraffic.NIGHTLY).subList(0, 50)) {
      JsonNode b = body(c);
      assertEquals("claude-haiku-4-5", b.path("model").asText());
      assertTrue(Texts.tokens(user(b)) >= 1500, "a long document");
      assertTrue(user(b).startsWith(Bodies.SUMMARY_ASK));
    }
  }

  @Test
  void documentation_answers_share_one_long_stable_prompt_and_come_minutes_apart() {
    List<DemoCall> calls = of(DemoTraffic.month(42, START, 1.0), DemoTraffic.RAG);
    Set<String> systems = new HashSet<>();
    for (DemoCall c : calls.subList(0, 200)) {
      JsonNode b = body(c);
      assertEquals("claude-sonnet-4-5", b.path("model").asText());
      assertTrue(!b.has("cache_control") && b.path("system").isTextual(), "no cache breakpoints");
      systems.add(b.path("system").asText());
      assertTrue(user(b).startsWith(Bodies.DOC_QUESTION));
    }
    assertEquals(1, systems.size());
    assertTrue(Texts.tokens(systems.iterator().next()) > 4800);
    long withinFive = IntStream.range(1, calls.size())
        .filter(i -> calls.get(i).at().atZone(ZoneOffset.UTC).toLocalDate()
            .equals(calls.get(i - 1).at().atZone(ZoneOffset.UTC).toLocalDate()))
        .filter(i -> Duration.between(calls.get(i - 1).at(), calls.get(i).at()).toMinutes() < 5).count();
    assertTrue(withinFive > 0.75 * calls.size(), "most calls reuse the prompt within 5 minutes: " + withinFive);
    calls.forEach(c -> assertTrue(hour(c) >= 10 && hour(c) < 16, c.toString()));
  }

  @Test
  void two_fault_windows_lie_in_the_month_on_models_the_patterns_use() {
    assertEquals(2, MONTH.faults().size());
    Set<String> models = new HashSet<>();
    MONTH.calls().forEach(c -> models.add(c.model()));
    for (DemoTraffic.Fault f : MONTH.faults()) {
      assertTrue(models.contains(f.model()), f.toString());
      assertTrue(!f.from().isBefore(MONTH.start()) && f.until().isBefore(MONTH.end()), f.toString());
      assertTrue(f.chance() >= 0.3 && f.chance() <= 0.5, f.toString());
      long inside = MONTH.calls().stream().filter(c -> c.model().equals(f.model()))
          .filter(c -> !c.at().isBefore(f.from()) && c.at().isBefore(f.until())).count();
      assertTrue(inside > 3, "calls meet the fault window " + f + ": " + inside);
    }
  }

  /** A popular question as typed in a hurry: the same words, in lower case or without the question mark. */
  private static boolean typedVariant(Set<String> canonical, String q) {
    String bare = q.toLowerCase(java.util.Locale.ROOT).replace("?", "");
    return canonical.stream().anyMatch(c -> c.toLowerCase(java.util.Locale.ROOT).replace("?", "").equals(bare));
  }
}
