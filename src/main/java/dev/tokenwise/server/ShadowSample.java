package dev.tokenwise.server;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Which calls a shadow test copies: those whose request id hashes below the sample share. The same id
 * always gets the same answer (a replayed log samples the same calls), and since ids carry random bits,
 * the share of calls taken holds for any traffic.
 */
final class ShadowSample {
  private static final BigDecimal TWO_TO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

  private ShadowSample() {}

  /** Whether the call with this id is in a sample of {@code share} (0 to 1) of the calls. */
  static boolean takes(String requestId, BigDecimal share) {
    if (share.compareTo(BigDecimal.ONE) >= 0) {
      return true;
    }
    if (share.signum() <= 0) {
      return false;
    }
    // an unsigned 64-bit hash below share × 2^64
    long bound = share.multiply(TWO_TO_64).toBigInteger().longValue(); // below 2^64: its bits, read unsigned
    return Long.compareUnsigned(hash(requestId), bound) < 0;
  }

  /** FNV-1a over the id, then a 64-bit finaliser, so that ids that differ in one character spread apart. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
