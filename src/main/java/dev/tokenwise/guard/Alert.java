package dev.tokenwise.guard;

import java.time.Instant;

/**
 * A trip of the spend guard, as it is alerted.
 *
 * @param id unique, {@code al-…}; the clear names it
 * @param time when it tripped
 * @param kind {@code tenant_cap}, {@code pattern_cap} or {@code anomaly}
 * @param scope the tenant or the pattern
 * @param period the window: {@code 1h}, {@code 24h}, or the anomaly window ({@code 5m})
 * @param figurePicoUsd what the window spent
 * @param limitPicoUsd the cap, or what the anomaly guard's baseline allows such a window
 * @param message what refused callers are told
 */
public record Alert(String id, Instant time, String kind, String scope, String period, long figurePicoUsd,
    long limitPicoUsd, String message) {}
