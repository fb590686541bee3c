package dev.tokenwise.audit;

/**
 * What a policy's {@code match} can see of a pattern's calls: which policy is the first to match them
 * depends on these three.
 *
 * @param pattern the pattern: the calls' tag, or their fingerprint ({@code fp-…})
 * @param model the model most of its calls ask for, or null when unknown
 * @param provider that model's provider, or null when unknown
 */
public record PatternFacts(String pattern, String model, String provider) {

  /** A pattern whose model and provider are unknown: only policies matching on the pattern itself fit it. */
  public static PatternFacts of(String pattern) {
    return new PatternFacts(pattern, null, null);
  }

  /** The facts of a pattern's calls: the model asked for most (ties to the first name), and its provider. */
  public static PatternFacts of(PatternCalls calls) {
    java.util.Map<String, Integer> asked = new java.util.HashMap<>();
    for (dev.tokenwise.store.CallRow c : calls.calls()) {
      if (c.modelRequested() != null && c.provider() != null) {
        asked.merge(c.provider() + "\u0000" + c.modelRequested(), 1, Integer::sum);
      }
    }
    return asked.entrySet().stream()
        .max(java.util.Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(java.util.Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
        .map(e -> {
          int cut = e.getKey().indexOf('\u0000');
          return new PatternFacts(calls.pattern(), e.getKey().substring(cut + 1), e.getKey().substring(0, cut));
        })
        .orElse(of(calls.pattern()));
  }
}
