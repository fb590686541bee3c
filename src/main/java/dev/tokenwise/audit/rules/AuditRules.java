package dev.tokenwise.audit.rules;

import dev.tokenwise.audit.Rule;
import dev.tokenwise.audit.SemanticReplay;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Every rule of the audit, in the order their findings are listed when they save the same. */
public final class AuditRules {
  private AuditRules() {}

  /**
   * The rules; when bodies are kept, the prompt-cache rule says what differs between two heads and the
   * semantic-cache rule replays questions through the cache's matcher.
   */
  public static List<Rule> all(Function<String, Optional<String>> promptHeadById, SemanticReplay questions) {
    return List.of(
        new CheaperModelRule(),
        new ExactCacheRule(),
        new SemanticCacheRule(questions),
        new BatchRule(),
        new MaxTokensRule(),
        new ContextGrowthRule(),
        new PromptCacheRule(promptHeadById),
        new RetryStormRule());
  }

  /** The rules, without reading any body. */
  public static List<Rule> all() {
    return all(null, null);
  }
}
