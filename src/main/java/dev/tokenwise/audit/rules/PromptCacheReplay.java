package dev.tokenwise.audit.rules;

import dev.tokenwise.store.CallRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays calls, oldest first, through a provider's prompt cache: an entry per prompt head lives
 * {@link #TTL} from the last call that wrote or read it; a call within that time of the previous call
 * with the same head reads it, any other call writes it. Done twice: with the heads as they were sent
 * (byte for byte), and with one head per template (the head with its numbers, ids and dates masked), as
 * if the variable part had been moved out of the head.
 *
 * <p>Every call counts the tokens of its template's shortest head in both replays, so that the two
 * differ only in how many calls hit the cache: the part a template's heads share is what a stable head
 * would cache.
 */
final class PromptCacheReplay {
  /** Anthropic's default cache lifetime, and OpenAI's shortest. */
  static final Duration TTL = Duration.ofMinutes(5);

  /** Calls, writes, reads and the head tokens they carried, in one replay. */
  record Tally(long calls, long writes, long reads, long callTokens, long writeTokens, long readTokens) {}

  /** One template: its calls, its distinct heads, its shortest head in tokens. */
  record Template(long maskedHash, int calls, int heads, int tokens, CallRow first, CallRow firstOtherHead) {}

  private final Tally asSent;
  private final Tally stable;
  private final List<Template> templates;

  private PromptCacheReplay(Tally asSent, Tally stable, List<Template> templates) {
    this.asSent = asSent;
    this.stable = stable;
    this.templates = templates;
  }

  /** Replays calls that all have a shape with a non-zero prefix hash, sorted oldest first. */
  static PromptCacheReplay of(List<CallRow> calls) {
    Map<Long, List<CallRow>> byTemplate = new LinkedHashMap<>();
    for (CallRow c : calls) {
      long masked = c.shape().prefixMaskedHash() != 0 ? c.shape().prefixMaskedHash() : c.shape().prefixHash();
      byTemplate.computeIfAbsent(masked, k -> new ArrayList<>()).add(c);
    }
    long[] sent = new long[6];
    long[] one = new long[6];
    List<Template> templates = new ArrayList<>();
    for (Map.Entry<Long, List<CallRow>> e : byTemplate.entrySet()) {
      List<CallRow> group = e.getValue();
      int tokens = Integer.MAX_VALUE;
      Set<Long> heads = new LinkedHashSet<>();
      CallRow other = null;
      for (CallRow c : group) {
        tokens = Math.min(tokens, c.shape().prefixTokens());
        heads.add(c.shape().prefixHash());
        if (other == null && c.shape().prefixHash() != group.get(0).shape().prefixHash()) {
          other = c;
        }
      }
      replay(group, tokens, true, sent);
      replay(group, tokens, false, one);
      templates.add(new Template(e.getKey(), group.size(), heads.size(), tokens, group.get(0), other));
    }
    templates.sort((a, b) -> Integer.compare(b.calls(), a.calls()));
    return new PromptCacheReplay(tally(sent), tally(one), List.copyOf(templates));
  }

  /** Adds one template's calls, writes, reads and tokens to {@code into}. */
  private static void replay(List<CallRow> group, int tokens, boolean byHead, long[] into) {
    long ttl = TTL.toMillis();
    Map<Long, Long> last = new LinkedHashMap<>();
    for (CallRow c : group) {
      long head = byHead ? c.shape().prefixHash() : 0;
      Long before = last.put(head, c.timeMs());
      boolean read = before != null && c.timeMs() - before <= ttl;
      into[0]++;
      into[read ? 2 : 1]++;
      into[3] += tokens;
      into[read ? 5 : 4] += tokens;
    }
  }

  private static Tally tally(long[] t) {
    return new Tally(t[0], t[1], t[2], t[3], t[4], t[5]);
  }

  /** The heads as they were sent. */
  Tally asSent() {
    return asSent;
  }

  /** One head per template. */
  Tally stable() {
    return stable;
  }

  /** The templates, the busiest first. */
  List<Template> templates() {
    return templates;
  }

  /** The templates whose calls sent more than one head, the busiest first. */
  List<Template> unstable() {
    return templates.stream().filter(t -> t.heads() > 1).toList();
  }

  /** The distinct heads over all templates. */
  int heads() {
    return templates.stream().mapToInt(Template::heads).sum();
  }
}
