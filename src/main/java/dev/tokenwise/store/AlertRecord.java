package dev.tokenwise.store;

import java.time.Instant;

/**
 * One trip of the spend guard, as kept in table {@code alerts}.
 *
 * @param id the alert's id ({@code al-…})
 * @param time when the guard tripped
 * @param kind {@code tenant_cap}, {@code pattern_cap} or {@code anomaly}
 * @param scope the tenant or the pattern
 * @param period the window the figure was taken over: {@code 1h}, {@code 24h}, or the anomaly window
 * @param figurePicoUsd what was spent in the window
 * @param limitPicoUsd the cap, or for the anomaly guard what its baseline allows such a window
 * @param message the sentence a refused caller gets
 * @param clearedAt when it cleared, or null while it holds
 * @param clearedBy {@code window} (the spend fell back) or {@code admin}, or null while it holds
 */
public record AlertRecord(String id, Instant time, String kind, String scope, String period, long figurePicoUsd,
    long limitPicoUsd, String message, Instant clearedAt, String clearedBy) {}
