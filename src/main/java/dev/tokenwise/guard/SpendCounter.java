package dev.tokenwise.guard;

import java.time.Duration;
import java.util.List;

/**
 * Where spend is counted: per scope ({@code t:TENANT}, {@code p:PATTERN}), per clock minute and clock
 * hour. In this process ({@link LocalSpend}) or in Redis for every instance ({@link RedisSpend}). Also
 * holds the claims that make a trip alerted once however many instances see it. No method throws on a
 * backend failure: they fall back to what this process knows and count the failure.
 */
interface SpendCounter extends AutoCloseable {

  /** Adds {@code picoUsd} to every scope's buckets of the minute and hour of {@code nowMillis}. */
  void add(List<String> scopes, long picoUsd, long nowMillis);

  /** Each scope's recent spend, in the order asked. */
  List<Spend> read(List<String> scopes, long nowMillis);

  /** Forgives what a scope spent up to the end of the current minute. */
  void clear(String scope, long nowMillis);

  /** Takes the claim on a trip for {@code ttl}; false when someone holds it already. */
  boolean claim(String trip, String alertId, Duration ttl);

  /** Gives up the claim on a trip; the alert id it held, or null when it was not held. */
  String release(String trip);

  /** How often the backend failed. */
  long failures();

  /** Drops what has not been spent on for longer than any window looks back. */
  default void forgetIdle(long nowMillis) {}

  @Override
  void close();
}
