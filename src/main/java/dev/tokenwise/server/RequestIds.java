package dev.tokenwise.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/** Request ids that sort by time: {@code req_}, 12 hex digits of epoch milliseconds, 12 random ones. */
final class RequestIds {
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  RequestIds(Clock clock) {
    this.clock = clock;
  }

  String next() {
    byte[] r = new byte[6];
    random.nextBytes(r);
    return "req_" + String.format("%012x", clock.millis()) + HexFormat.of().formatHex(r);
  }
}
