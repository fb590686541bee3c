package dev.tokenwise.server;

import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of large request bodies in flight at once, so that a burst of multi-megabyte bodies
 * (images, documents) gets a 503 with Retry-After, which the SDKs retry by themselves, instead of
 * exhausting the heap. Small bodies are never counted; a large body alone is always let through.
 */
final class BodyBudget {
  /** Bodies up to this size are not counted. */
  static final long SMALL = 1 << 20;

  /** Gives back what a request took. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private static final Lease NONE = () -> { };
  private final long capacity;
  private final AtomicLong inFlight = new AtomicLong();

  /** A budget of {@code capacity} bytes of large bodies at once. */
  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** The budget for this JVM: half the largest heap it may have. */
  static BodyBudget forHeap() {
    return new BodyBudget(Runtime.getRuntime().maxMemory() / 2);
  }

  /**
   * Takes a body's share of the budget, or refuses with a 503 when other large bodies hold it. A body
   * counts twice its size: its bytes, and the copy written upstream when a field of it changes.
   */
  Lease acquire(long bodyBytes) {
    if (bodyBytes <= SMALL) {
      return NONE;
    }
    long bytes = 2 * bodyBytes;
    long now = inFlight.addAndGet(bytes);
    if (now > capacity && now != bytes) {
      inFlight.addAndGet(-bytes);
      throw GatewayException.upstream(ErrorKind.OVERLOADED, 503, "the gateway is busy with other large request "
          + "bodies; retry shortly (this one has " + bodyBytes + " bytes; raise the heap with TOKENWISE_JAVA_OPTS=-Xmx… "
          + "to take more at once)", null, "1");
    }
    return () -> inFlight.addAndGet(-bytes);
  }
}
