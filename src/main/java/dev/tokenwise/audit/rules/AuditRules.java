package dev.tokenwise.audit.rules;

import dev.tokenwise.audit.Rule;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Every rule of the audit, in the order their findings are listed when they save the same. */
public final class AuditRules {
  private AuditRules() {}

  /** The rules, the prompt-cache rule saying what differs between two heads when bodies are kept. */
  public static List<Rule> all(Function<String, Optional<String>> promptHeadById) {
    return List.of(
        new CheaperModelRule(),
        new ExactCacheRule(),
        new SemanticCacheRule(),
        new BatchRule(),
        new MaxTokensRule(),
        new ContextGrowthRule(),
        new PromptCacheRule(promptHeadById),
        new RetryStormRule());
  }

  /** The rules, without reading any body. */
  public static List<Rule> all() {
    return all(null);
  }
}
