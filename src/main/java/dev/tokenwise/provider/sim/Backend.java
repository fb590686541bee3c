package dev.tokenwise.provider.sim;

import java.time.Clock;

/** What every endpoint shares: known models, rules, the prompt caches and the clock. */
record Backend(Catalog catalog, Rules rules, PromptCache cache, Clock clock) {

  /** The prompt-cache scope of a key and model; the key itself is never kept. */
  static String scope(String apiKey, Catalog.Model model) {
    return Long.toHexString(Tokens.hash(apiKey)) + "/" + model.answerId();
  }
}
