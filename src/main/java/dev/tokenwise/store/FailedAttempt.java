package dev.tokenwise.store;

/**
 * An upstream attempt that did not answer, with the pattern of its call, as the audit reads them.
 *
 * @param requestId the call it was made for
 * @param timeMs the call's arrival, epoch milliseconds
 * @param pattern the call's pattern
 * @param provider the provider asked
 * @param model the model asked
 * @param status the provider's status, 0 when none came
 * @param outcome {@code failed}, {@code rejected}, {@code broken} or {@code cancelled}
 * @param costPicoUsd what it was billed, or null when unknown
 */
public record FailedAttempt(String requestId, long timeMs, String pattern, String provider, String model, int status,
    String outcome, Long costPicoUsd) {}
