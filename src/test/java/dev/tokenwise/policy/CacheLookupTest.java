package dev.tokenwise.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.cache.SemanticSearch;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.Usage;
import dev.tokenwise.provider.Route;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CacheLookupTest {
  private static final Usage USAGE = new Usage(20, 0, 0, 0, 5, 0, false);
  private static final byte[] ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8);

  /** A plain map of answers honouring expiry: the contract of an answer store, nothing more. */
  static final class MapAnswers implements AnswerStore {
    final Map<String, CachedAnswer> map = new ConcurrentHashMap<>();
    final List<Consumer<CachedAnswer>> followers = new ArrayList<>();

    @Override
    public Optional<CachedAnswer> get(String key, long nowMillis) {
      return Optional.ofNullable(map.get(key)).filter(a -> a.liveAt(nowMillis));
    }

    @Override
    public void put(CachedAnswer answer) {
      map.put(answer.key(), answer);
      if (answer.semantic()) {
        followers.forEach(f -> f.accept(answer));
      }
    }

    @Override
    public long removePattern(String pattern) {
      long before = map.size();
      map.values().removeIf(a -> a.pattern().equals(pattern));
      return before - map.size();
    }

    @Override
    public long removeAll() {
      long n = map.size();
      map.clear();
      return n;
    }

    @Override
    public long size() {
      return map.size();
    }

    @Override
    public void followSemantic(Consumer<CachedAnswer> sink) {
      followers.add(sink);
    }

    @Override
    public void close() {}
  }

  /**
   * Bag-of-words vectors and a gate that refuses differing digits: enough to drive the stage's
   * semantic path; the real model and gate have their own tests.
   */
  static final class WordSearch implements SemanticSearch {
    final Map<String, CachedAnswer> entries = new ConcurrentHashMap<>();

    @Override
    public Embedding embed(String text, dev.tokenwise.core.Credentials caller) {
      return new Embedding(vector(text), null, null, 0);
    }

    @Override
    public String model() {
      return "words";
    }

    float[] vector(String text) {
      float[] v = new float[64];
      for (String w : text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", "").split(" +")) {
        v[Math.floorMod(w.replaceAll("[0-9]", "#").hashCode(), 64)] += 1;
      }
      float n = 0;
      for (float x : v) {
        n += x * x;
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= (float) Math.sqrt(n);
      }
      return v;
    }

    @Override
    public List<Candidate> nearest(String scope, float[] vector, float minScore, int limit) {
      List<Candidate> out = new ArrayList<>();
      for (CachedAnswer a : entries.values()) {
        float s = 0;
        for (int i = 0; i < vector.length; i++) {
          s += vector[i] * a.embedding()[i];
        }
        if (a.scope().equals(scope) && s >= minScore) {
          out.add(new Candidate(a.key(), a.query(), s));
        }
      }
      out.sort((x, y) -> Float.compare(y.score(), x.score()));
      return out.subList(0, Math.min(limit, out.size()));
    }

    @Override
    public String refusal(String query, String cached) {
      return query.replaceAll("[^0-9]", "").equals(cached.replaceAll("[^0-9]", "")) ? null : "numbers differ";
    }

    @Override
    public void add(CachedAnswer answer) {
      entries.put(answer.key(), answer);
    }

    @Override
    public void remove(String key) {
      entries.remove(key);
    }

    @Override
    public int size() {
      return entries.size();
    }
  }

  private final MapAnswers answers = new MapAnswers();
  private final WordSearch search = new WordSearch();
  private final CacheLookup stage;

  CacheLookupTest() {
    answers.followSemantic(search::add);
    stage = new CacheLookup(answers, () -> search, 0.9f);
  }

  private static Policy policy(Map<String, Object> cache) {
    return new Policy("policies[0]", "faq", null, null, null, null, Map.of("cache", cache));
  }

  private Exchange call(Policy policy, String tenant, String question, double temperature, Instant at) {
    ObjectNode body = Json.object().put("model", "gpt-4o-mini").put("temperature", temperature);
    body.putArray("messages").addObject().put("role", "user").put("content", question);
    byte[] raw = Json.bytes(body);
    Exchange ex = new Exchange("req-1", at, 0, Dialect.OPENAI, "/v1/chat/completions", body, raw,
        LargeStrings.of(raw, 64 * 1024), new Credentials(tenant, null, false, Map.of()), Map.of(), "faq");
    ex.route(new Route(new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, "http://127.0.0.1:1", null,
        Duration.ofSeconds(30), Map.of(), List.of()), "gpt-4o-mini"));
    ex.upstreamDialect(Dialect.OPENAI);
    ex.policy(policy);
    ex.pattern("faq");
    stage.before(ex);
    return ex;
  }

  private Exchange call(Policy policy, String question) {
    return call(policy, "t1", question, 0, Instant.EPOCH);
  }

  private void answer(Exchange ex, String finish) {
    stage.after(ex, new Outcome(200, USAGE, finish, ANSWER, 1_000L, 3_000L, "gpt-4o-mini-2024-07-18"));
  }

  private static String trace(Exchange ex) {
    return ex.decisions().toString();
  }

  @Test
  void a_repeat_is_served_from_the_first_answer() {
    Policy p = policy(Map.of("exact", true));
    Exchange first = call(p, "Capital of France?");
    assertEquals("miss", first.cacheStatus());
    assertTrue(first.cacheWanted());
    answer(first, "stop");

    Exchange again = call(p, "Capital of France?");
    assertEquals("hit-exact", again.cacheStatus());
    assertEquals(new String(ANSWER, StandardCharsets.UTF_8), new String(again.cacheHit().body(), StandardCharsets.UTF_8));
    assertEquals(3_000L, again.cacheHit().baselinePicoUsd());
    assertEquals("gpt-4o-mini-2024-07-18", again.cacheHit().model(), "the model the provider named");
    CacheStats.Row row = stage.stats().snapshot().get("faq");
    assertEquals(1, row.exactHits());
    assertEquals(1, row.misses());
    assertEquals(3_000L, row.savedPicoUsd());
  }

  @Test
  void one_tenant_never_gets_another_tenants_answer() {
    Policy p = policy(Map.of("exact", true));
    answer(call(p, "t1", "Capital of France?", 0, Instant.EPOCH), "stop");
    Exchange other = call(p, "t2", "Capital of France?", 0, Instant.EPOCH);
    assertEquals("miss", other.cacheStatus());
    assertNull(other.cacheHit());
  }

  @Test
  void answers_expire_after_their_ttl() {
    Policy p = policy(Map.of("exact", true, "ttl", "10m"));
    answer(call(p, "t1", "Capital of France?", 0, Instant.EPOCH), "stop");
    assertEquals("hit-exact", call(p, "t1", "Capital of France?", 0, Instant.EPOCH.plusSeconds(599)).cacheStatus());
    assertEquals("miss", call(p, "t1", "Capital of France?", 0, Instant.EPOCH.plusSeconds(600)).cacheStatus());
  }

  @Test
  void sampled_answers_are_left_alone_unless_the_policy_says_so() {
    Exchange sampled = call(policy(Map.of("exact", true)), "t1", "Write a haiku", 0.8, Instant.EPOCH);
    assertEquals("bypass", sampled.cacheStatus());
    assertTrue(trace(sampled).contains("temperature 0.8 without a seed"), trace(sampled));
    Exchange allowed = call(policy(Map.of("exact", true, "any_temperature", true)), "t1", "Write a haiku", 0.8,
        Instant.EPOCH);
    assertEquals("miss", allowed.cacheStatus());
  }

  @Test
  void cut_filtered_and_tool_call_answers_are_not_kept() {
    Policy p = policy(Map.of("exact", true));
    answer(call(p, "cut"), "length");
    answer(call(p, "filtered"), "content_filter");
    answer(call(p, "tool"), "tool_calls");
    stage.after(call(p, "failed"), new Outcome(500, USAGE, null, ANSWER, 0L, 0L, null));
    assertEquals(0, answers.size());
    Policy tools = policy(Map.of("exact", true, "tool_calls", true));
    answer(call(tools, "tool"), "tool_calls");
    assertEquals(1, answers.size());
  }

  @Test
  void no_store_neither_reads_nor_writes_and_refresh_replaces() {
    Policy p = policy(Map.of("exact", true));
    answer(call(p, "Capital of France?"), "stop");
    Exchange noStore = callWith(p, "no-store");
    assertEquals("bypass", noStore.cacheStatus());
    assertTrue(!noStore.cacheWanted());

    Exchange refresh = callWith(p, "refresh");
    assertEquals("miss", refresh.cacheStatus());
    byte[] newer = "{\"id\":\"chatcmpl-2\"}".getBytes(StandardCharsets.UTF_8);
    stage.after(refresh, new Outcome(200, USAGE, "stop", newer, 1L, 2L, null));
    assertEquals("{\"id\":\"chatcmpl-2\"}",
        new String(call(p, "Capital of France?").cacheHit().body(), StandardCharsets.UTF_8));
  }

  private Exchange callWith(Policy policy, String directive) {
    ObjectNode body = Json.object().put("model", "gpt-4o-mini").put("temperature", 0);
    body.putArray("messages").addObject().put("role", "user").put("content", "Capital of France?");
    byte[] raw = Json.bytes(body);
    Exchange ex = new Exchange("req-2", Instant.EPOCH, 0, Dialect.OPENAI, "/v1/chat/completions", body, raw,
        LargeStrings.of(raw, 64 * 1024), new Credentials("t1", null, false, Map.of()), Map.of(), "faq");
    ex.route(new Route(new ProviderConfig("openai", ProviderConfig.Kind.OPENAI, "http://127.0.0.1:1", null,
        Duration.ofSeconds(30), Map.of(), List.of()), "gpt-4o-mini"));
    ex.policy(policy);
    ex.pattern("faq");
    ex.cacheDirective(directive);
    stage.before(ex);
    return ex;
  }

  @Test
  void a_paraphrase_is_a_semantic_hit_and_a_changed_number_is_refused() {
    Policy p = policy(Map.of("semantic", Map.of("threshold", 0.7)));
    Exchange first = call(p, "How many days does shipping to Canada take for order 12?");
    answer(first, "stop");
    assertEquals(1, search.size());

    Exchange para = call(p, "how many days does shipping take to Canada for order 12");
    assertEquals("hit-semantic", para.cacheStatus(), trace(para));
    assertNotNull(para.cacheHit());

    Exchange other = call(p, "How many days does shipping to Canada take for order 13?");
    assertEquals("miss", other.cacheStatus());
    assertTrue(trace(other).contains("refused by the lexical gate"), trace(other));
    assertEquals(1, stage.stats().snapshot().get("faq").refused());
  }

  @Test
  void an_index_entry_whose_answer_is_gone_is_dropped() {
    Policy p = policy(Map.of("semantic", true, "ttl", "1m"));
    answer(call(p, "t1", "How long does shipping to Canada take?", 0, Instant.EPOCH), "stop");
    answers.removeAll();
    Exchange later = call(p, "t1", "how long does shipping to Canada take", 0, Instant.EPOCH);
    assertEquals("miss", later.cacheStatus());
    assertEquals(0, search.size());
  }
}
