package dev.tokenwise.policy;

/**
 * What the output cap knows of one call pattern, for reports.
 *
 * @param observed successful calls whose output length was recorded
 * @param p99 the observed 99th percentile of output tokens (bucketed, rounded up), or -1 before any
 * @param cap the cap last applied to the pattern, or 0 when none was yet
 * @param capped calls whose output the gateway capped below what the client asked for
 * @param cut capped calls that stopped at the cap
 */
public record CapStats(long observed, long p99, long cap, long capped, long cut) {}
