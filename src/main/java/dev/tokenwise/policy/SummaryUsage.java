package dev.tokenwise.policy;

/**
 * The tokens a side call used (a summary of dropped turns, an embedding for the semantic cache),
 * billed on top of the client's call.
 *
 * @param provider the provider that made it
 * @param model the model id sent to it
 * @param inputTokens input tokens, as the provider reported them
 * @param outputTokens output tokens, as the provider reported them
 */
public record SummaryUsage(String provider, String model, long inputTokens, long outputTokens) {}
