package dev.tokenwise.store;

/**
 * One upstream attempt of a logged call (a row of {@code request_attempts}).
 *
 * @param number 1 for the first attempt
 * @param provider the provider asked
 * @param model the model asked, as the provider names it
 * @param status the provider's HTTP status, or 0 when none came (connection failure, timeout)
 * @param latencyMillis from sending the request to the end of the attempt
 * @param outcome {@code ok}, {@code failed} (transient), {@code rejected} (returned to the client),
 *     {@code broken} (a stream that failed after it reached the client) or {@code cancelled} (the client left)
 * @param error what went wrong, or null
 * @param costPicoUsd what the attempt was billed, or null when unknown
 */
public record AttemptRecord(int number, String provider, String model, int status, long latencyMillis, String outcome,
    String error, Long costPicoUsd) {}
