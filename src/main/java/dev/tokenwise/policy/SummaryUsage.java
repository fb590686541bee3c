package dev.tokenwise.policy;

/**
 * The tokens a summarising call used, billed on top of the client's call.
 *
 * @param provider the provider that wrote the summary
 * @param model the model id sent to it
 * @param inputTokens input tokens, as the provider reported them
 * @param outputTokens output tokens, as the provider reported them
 */
public record SummaryUsage(String provider, String model, long inputTokens, long outputTokens) {}
