package dev.tokenwise.cache;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * One instance's subscription to the Redis channel on which every instance publishes the semantic
 * answers it stores. A virtual thread holds the subscription on a connection of its own and reconnects
 * with a growing pause (0.1 s to 5 s) when Redis drops it; a second one pings over it every 15 s, which
 * keeps idle-connection timeouts of the network away and finds a connection that died silently (no pong
 * for three rounds: the reader is cut loose and reconnects).
 *
 * <p>Publish/subscribe keeps nothing for a subscriber that is away, so each subscription starts with
 * a catch-up: {@code onSubscribed} gets the epoch milliseconds since which messages may have been
 * missed ({@link Long#MIN_VALUE} the first time: everything) and reads them from the keys. Should it
 * throw, the subscription is dropped and retried with the same time.
 */
final class SemanticFeed implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SemanticFeed.class.getName());

  static final Duration PING_EVERY = Duration.ofSeconds(15);
  private static final long MIN_PAUSE_MS = 100;
  private static final long MAX_PAUSE_MS = 5_000;
  /** Subtracted from the time a subscription ended, for clocks of instances that disagree a little. */
  static final long CLOCK_SLACK_MS = 10_000;

  private final Supplier<Jedis> connect;
  private final byte[] channel;
  private final Consumer<byte[]> onMessage;
  private final LongConsumer onSubscribed;
  private final Clock clock;
  private final long pingEveryNanos;
  private final CountDownLatch firstCatchUp = new CountDownLatch(1);
  private final RareWarning lost = new RareWarning(LOG, "response cache: the Redis feed of semantic answers dropped");
  private final Thread reader;
  private final Thread pinger;
  private volatile boolean closed;
  private volatile Jedis connection;
  private volatile Listener listener;

  SemanticFeed(Supplier<Jedis> connect, byte[] channel, Consumer<byte[]> onMessage, LongConsumer onSubscribed,
      Clock clock, Duration pingEvery) {
    this.connect = connect;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onSubscribed = onSubscribed;
    this.clock = clock;
    this.pingEveryNanos = pingEvery.toNanos();
    Thread.Builder threads = Thread.ofVirtual()
        .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, t.getName() + " stopped unexpectedly", e));
    this.reader = threads.name("tokenwise-cache-feed").start(this::read);
    this.pinger = threads.name("tokenwise-cache-feed-ping").start(this::ping);
  }

  /** Waits until the first subscription has caught up; false when it has not within {@code timeout}. */
  boolean awaitFirstCatchUp(Duration timeout) {
    try {
      return firstCatchUp.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Times the subscription was lost or could not be made. */
  long drops() {
    return lost.count();
  }

  @Override
  public void close() {
    closed = true;
    cut(connection);
    reader.interrupt();
    pinger.interrupt();
    try {
      reader.join(Duration.ofSeconds(2));
      pinger.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    long pauseMs = MIN_PAUSE_MS;
    long missedSince = Long.MIN_VALUE;
    while (!closed) {
      Listener l = new Listener(missedSince);
      try (Jedis j = connect.get()) {
        connection = j;
        if (closed) {
          return;
        }
        listener = l;
        j.subscribe(l, channel);
      } catch (RuntimeException e) {
        if (!closed) {
          lost.happened(e.getMessage());
        }
      } finally {
        listener = null;
        connection = null;
      }
      if (closed) {
        return;
      }
      if (l.caughtUp) {
        // It was live until now: what follows is what a later catch-up must read.
        missedSince = clock.millis() - CLOCK_SLACK_MS;
        pauseMs = MIN_PAUSE_MS;
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        return;
      }
      pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
    }
  }

  private void ping() {
    long every = TimeUnit.NANOSECONDS.toMillis(pingEveryNanos);
    while (!closed) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      Listener l = listener;
      Jedis j = connection;
      if (l == null || j == null || !l.caughtUp) {
        continue;
      }
      if (System.nanoTime() - l.lastPongNanos > 3 * pingEveryNanos) {
        lost.happened("no pong for " + 3 * every / 1000 + " s, reconnecting");
        cut(j);
        continue;
      }
      try {
        l.ping();
      } catch (RuntimeException e) {
        cut(j);
      }
    }
  }

  /** Closes a connection under the reader, whose blocked read then fails and reconnects. */
  private static void cut(Jedis j) {
    if (j != null) {
      try {
        j.disconnect();
      } catch (RuntimeException e) {
        // Already broken: the reader finds out by itself.
      }
    }
  }

  private final class Listener extends BinaryJedisPubSub {
    private final long missedSince;
    volatile boolean caughtUp;
    volatile long lastPongNanos = System.nanoTime();

    Listener(long missedSince) {
      this.missedSince = missedSince;
    }

    @Override
    public void onSubscribe(byte[] channel, int subscribedChannels) {
      // Runs on the reader before any message: messages arriving meanwhile wait in the socket.
      onSubscribed.accept(missedSince);
      lastPongNanos = System.nanoTime();
      caughtUp = true;
      firstCatchUp.countDown();
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      onMessage.accept(message);
    }

    @Override
    public void onPong(byte[] pattern) {
      lastPongNanos = System.nanoTime();
    }
  }
}
