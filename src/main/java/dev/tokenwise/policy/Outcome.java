package dev.tokenwise.policy;

import dev.tokenwise.core.Usage;

/**
 * What came of a call, for the stages that learn from traffic (an automatic cap learns the output
 * lengths of a pattern).
 *
 * @param status the HTTP status the client got
 * @param usage the tokens, or null when unknown
 * @param finishReason the finish or stop reason, or null
 */
public record Outcome(int status, Usage usage, String finishReason) {}
