package dev.tokenwise.audit;

import dev.tokenwise.store.CallRow;
import java.util.List;
import java.util.Optional;

/**
 * Replays stored questions through the semantic cache's own matcher (its embedding model, threshold and
 * lexical gate), so that the audit's estimate of reworded repeats is what the cache would serve rather
 * than a guess from hashes. It reads the calls' stored bodies; without them it can say nothing.
 */
public interface SemanticReplay {

  /**
   * Which calls the semantic cache would have answered from an earlier call of the list.
   *
   * @param calls oldest first, each a repeatable single-turn call that repeats no earlier request exactly
   * @param ttlMillis how long a kept question can serve (from the call that kept it)
   * @return one flag per call, or empty when the calls' questions cannot be read (bodies not stored)
   */
  Optional<boolean[]> nearHits(List<CallRow> calls, long ttlMillis);
}
