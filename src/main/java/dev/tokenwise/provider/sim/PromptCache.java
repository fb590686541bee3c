package dev.tokenwise.provider.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The providers' prompt caches, simulated: prefixes are remembered by the hash of their tokens per
 * scope (API key and model), each with an expiry from the injected clock that a hit pushes back.
 *
 * <p>OpenAI (openai.md §9.1): every prompt of 1024 tokens or more leaves its prefixes of 1024 + 128·k
 * tokens for 5 minutes of inactivity; a later prompt gets the longest one still alive as
 * {@code cached_tokens}. Anthropic (anthropic.md §6): only breakpoints write, at or above the
 * model's minimum prefix; a breakpoint reads the entry at its position or up to 20 blocks before it.
 */
final class PromptCache {
  static final Duration OPENAI_TTL = Duration.ofMinutes(5);
  static final Duration SHORT_TTL = Duration.ofMinutes(5);
  static final Duration LONG_TTL = Duration.ofHours(1);
  private static final int LOOKBACK_BLOCKS = 20;

  private record Entry(Instant expires, Duration ttl) {}

  /** Writes between two sweeps of the expired entries, so that a long run's memory stays flat. */
  private static final int SWEEP_EVERY = 4096;

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();

  PromptCache(Clock clock) {
    this.clock = clock;
  }

  void clear() {
    entries.clear();
  }

  /** Prefixes remembered, expired ones not yet swept included. */
  int size() {
    return entries.size();
  }

  /** Returns the cached tokens of an OpenAI prompt and remembers its prefixes. */
  int openAi(String scope, List<Long> boundaries) {
    Instant now = clock.instant();
    int cached = 0;
    for (int k = boundaries.size() - 1; k >= 0; k--) {
      if (alive(scope, boundaries.get(k), now)) {
        cached = 1024 + 128 * k;
        break;
      }
    }
    for (Long h : boundaries) {
      remember(key(scope, h), new Entry(now.plus(OPENAI_TTL), OPENAI_TTL), now);
    }
    return cached;
  }

  /** A block boundary of an Anthropic prompt: tokens so far and the hash of everything so far. */
  record Position(int tokens, long hash) {}

  /** A {@code cache_control} breakpoint on the block at {@code block}. */
  record Breakpoint(int block, Duration ttl) {}

  /** The cache part of Anthropic usage: read, and written per TTL. */
  record AnthropicUse(int read, int written5m, int written1h) {
    int written() {
      return written5m + written1h;
    }
  }

  /**
   * Reads and writes the Anthropic cache for one request.
   *
   * @param positions the end of each block, in prompt order (tools, system, messages)
   * @param breakpoints breakpoints in prompt order
   * @param minimum the model's minimum cacheable prefix
   */
  AnthropicUse anthropic(String scope, List<Position> positions, List<Breakpoint> breakpoints,
      int minimum) {
    Instant now = clock.instant();
    int read = 0;
    String readKey = null;
    for (Breakpoint bp : breakpoints) {
      if (positions.get(bp.block()).tokens() < minimum) {
        continue;
      }
      for (int j = bp.block(); j >= 0 && j >= bp.block() - LOOKBACK_BLOCKS; j--) {
        Position p = positions.get(j);
        if (p.tokens() >= minimum && alive(scope, p.hash(), now)) {
          if (p.tokens() > read) {
            read = p.tokens();
            readKey = key(scope, p.hash());
          }
          break;
        }
      }
    }
    if (readKey != null) {
      // A hit refreshes the entry for its own lifetime.
      entries.computeIfPresent(readKey, (k, e) -> new Entry(now.plus(e.ttl()), e.ttl()));
    }
    int w5 = 0;
    int w1h = 0;
    int covered = read;
    for (Breakpoint bp : breakpoints) {
      Position p = positions.get(bp.block());
      if (p.tokens() < minimum || p.tokens() <= covered) {
        continue;
      }
      // The tokens between the previous cached point and this breakpoint live as long as it does.
      int part = p.tokens() - covered;
      if (bp.ttl().equals(LONG_TTL)) {
        w1h += part;
      } else {
        w5 += part;
      }
      remember(key(scope, p.hash()), new Entry(now.plus(bp.ttl()), bp.ttl()), now);
      covered = p.tokens();
    }
    return new AnthropicUse(read, w5, w1h);
  }

  private void remember(String key, Entry entry, Instant now) {
    entries.put(key, entry);
    if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
      entries.values().removeIf(e -> !now.isBefore(e.expires()));
    }
  }

  private boolean alive(String scope, long hash, Instant now) {
    Entry e = entries.get(key(scope, hash));
    return e != null && now.isBefore(e.expires());
  }

  private static String key(String scope, long hash) {
    return scope + '#' + Long.toHexString(hash);
  }
}
