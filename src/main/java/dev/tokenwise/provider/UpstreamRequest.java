package dev.tokenwise.provider;

import java.time.Duration;
import java.util.Map;

/**
 * One HTTP call to a provider, fully prepared: the gateway's own headers are set, the client's key is
 * resolved.
 *
 * @param route the provider and model
 * @param path the path under the provider's base URL ({@code /chat/completions}, {@code /v1/messages})
 * @param method GET or POST
 * @param headers headers to send (auth included; never logged)
 * @param body the JSON body, or null for GET
 * @param timeouts the limits of this attempt
 */
public record UpstreamRequest(
    Route route, String path, String method, Map<String, String> headers, byte[] body, Timeouts timeouts) {

  /**
   * The limits of one attempt.
   *
   * @param connect the longest wait for a connection (the provider's own; the first-byte limit bounds it too)
   * @param firstByte the longest wait for the status line and headers
   * @param idle the longest pause between two reads of the body
   * @param total the longest the whole attempt may take, headers and body
   * @param deadlineBound whether {@code total} was cut short by the call's deadline ({@code retry.deadline})
   */
  public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total, boolean deadlineBound) {

    /**
     * The provider's limits, cut to what is left of the call's deadline.
     *
     * @param left the time left before the call's deadline, or null for none
     */
    static Timeouts of(dev.tokenwise.config.ProviderConfig p, Duration left) {
      boolean bound = left != null && left.compareTo(p.timeout()) < 0;
      Duration total = bound ? max(left, Duration.ofMillis(1)) : p.timeout();
      // the connect timeout stays the provider's: the client library sets it per client, so one value per
      // provider keeps one pooled client each; the wait for headers, which includes connecting, is cut instead
      return new Timeouts(p.connectTimeout(), min(p.firstByteTimeout(), total), p.idleTimeout(), total, bound);
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }
  }
}
