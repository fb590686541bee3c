package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.cache.MemoryAnswers;
import dev.tokenwise.cache.RedisAnswers;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.core.Usage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The exact cache's lookup as the cache stage makes it: the key of a parsed chat call (SHA-256 of the
 * canonical request) and a read from the answer store, in memory at 10 000 and 100 000 answers and, when
 * {@code TOKENWISE_BENCH_REDIS_URL} names a server, from Redis. Run by {@code bench/cache.sh} through
 * {@code CacheBench}; it lives in this package to reach the key's package-private code.
 */
public final class ExactLookupBench {
  private static final int[] SIZES = {10_000, 100_000};
  /** A whole answer of about 700 bytes: a few sentences. */
  private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"" + "An answer of a few sentences. ".repeat(20) + "\"},"
      + "\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8);

  private ExactLookupBench() {}

  /** Prints the figures: key alone, then key plus store read, p50/p99 over {@code lookups}. */
  public static void run(PrintStream out, int lookups, int warmup) {
    byte[] raw = body(0).getBytes(StandardCharsets.UTF_8);
    LargeStrings large = LargeStrings.of(raw, 64 * 1024);
    JsonNode parsed = Json.tryParse(large.slim());
    double[] keyMs = new double[lookups];
    for (int i = 0; i < warmup + lookups; i++) {
      long t = System.nanoTime();
      CacheKey.exact("tenant", Dialect.OPENAI, "openai", "gpt-4o-mini", parsed, large);
      if (i >= warmup) {
        keyMs[i - warmup] = (System.nanoTime() - t) / 1e6;
      }
    }
    out.printf(Locale.ROOT, "key of a %d-byte chat call: %s%n", raw.length, summary(keyMs));
    for (int size : SIZES) {
      try (MemoryAnswers store = MemoryAnswers.open(Clock.systemUTC(), 1L << 30, size, null)) {
        out.printf(Locale.ROOT, "in memory, %d answers, key + read: %s%n", size, measure(store, size, lookups, warmup));
      }
    }
    long before = usedHeapAfterGc();
    try (MemoryAnswers store = MemoryAnswers.open(Clock.systemUTC(), 1L << 30, 100_000, null)) {
      measure(store, 100_000, 10, 0);
      long after = usedHeapAfterGc();
      out.printf(Locale.ROOT, "heap of 100000 answers in memory (%d-byte answers, keys, usage): +%.1f MB (%d bytes each)%n",
          ANSWER.length, (after - before) / 1048576.0, (after - before) / 100_000);
    }
    String redis = System.getenv("TOKENWISE_BENCH_REDIS_URL");
    if (redis != null && !redis.isBlank()) {
      try (RedisAnswers store = RedisAnswers.open(redis, Clock.systemUTC())) {
        int size = 10_000;
        out.printf(Locale.ROOT, "redis, %d answers, key + read: %s%n", size, measure(store, size, lookups, warmup));
        store.removePattern("bench");
      }
    } else {
      out.println("redis: not measured (set TOKENWISE_BENCH_REDIS_URL=redis://HOST:PORT)");
    }
  }

  private static String measure(AnswerStore store, int size, int lookups, int warmup) {
    long now = System.currentTimeMillis();
    String[] keys = new String[size];
    JsonNode[] bodies = new JsonNode[Math.min(size, 1000)];
    LargeStrings[] larges = new LargeStrings[bodies.length];
    byte[] answer = ANSWER;
    for (int i = 0; i < size; i++) {
      byte[] raw = body(i).getBytes(StandardCharsets.UTF_8);
      LargeStrings large = LargeStrings.of(raw, 64 * 1024);
      JsonNode parsed = Json.tryParse(large.slim());
      keys[i] = CacheKey.exact("tenant", Dialect.OPENAI, "openai", "gpt-4o-mini", parsed, large);
      if (i < bodies.length) {
        bodies[i] = parsed;
        larges[i] = large;
      }
      // a copy each, as answers read from providers are
      store.put(new CachedAnswer(keys[i], "tenant", "bench", "openai-chat", null, null, null, answer.clone(), "gpt-4o-mini",
          "stop", new Usage(300, 0, 0, 0, 120, 0, false), 100_000_000L, 100_000_000L, now, now + 3_600_000));
    }
    Random rnd = new Random(size);
    double[] ms = new double[lookups];
    int hits = 0;
    for (int i = 0; i < warmup + lookups; i++) {
      int k = rnd.nextInt(bodies.length);
      long t = System.nanoTime();
      String key = CacheKey.exact("tenant", Dialect.OPENAI, "openai", "gpt-4o-mini", bodies[k], larges[k]);
      boolean hit = store.get(key, now).isPresent();
      if (i >= warmup) {
        ms[i - warmup] = (System.nanoTime() - t) / 1e6;
        hits += hit ? 1 : 0;
      }
    }
    return summary(ms) + " (" + hits + "/" + lookups + " hits)";
  }

  /** A realistic chat call of about 1.3 KB: a system prompt, a short history, a question with a number. */
  private static String body(int i) {
    return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"max_tokens\":400,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"" + "You are the support assistant of an online shop. Answer briefly. ".repeat(8)
        + "\"},{\"role\":\"user\",\"content\":\"Hello, I have a question about my order.\"},"
        + "{\"role\":\"assistant\",\"content\":\"Of course. What is the order number?\"},"
        + "{\"role\":\"user\",\"content\":\"Order " + (100_000 + i) + ": when will it arrive in Lyon?\"}]}";
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static String summary(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "p50 %.4f ms, p99 %.4f ms", s[s.length / 2], s[(int) Math.ceil(s.length * 0.99) - 1]);
  }
}
