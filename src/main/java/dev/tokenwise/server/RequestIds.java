package dev.tokenwise.server;

import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids that sort by time: {@code req_}, 12 hex digits of epoch milliseconds, 12 random ones. */
final class RequestIds {
  private final Clock clock;
  private static final HexFormat HEX = HexFormat.of();

  RequestIds(Clock clock) {
    this.clock = clock;
  }

  String next() {
    // ids need to be unique, not secret: a fast random source is enough
    String time = HEX.toHexDigits(clock.millis()).substring(4);
    String random = HEX.toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    return "req_" + time + random;
  }
}
