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
}
