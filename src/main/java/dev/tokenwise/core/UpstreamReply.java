package dev.tokenwise.core;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A provider's answer as it arrives: status and headers at once, the body as a stream the relay reads
 * at its own pace. {@link #cancel()} aborts the upstream request (a client that went away must stop
 * the billing at once).
 */
public interface UpstreamReply extends AutoCloseable {

  /** The provider's HTTP status. */
  int status();

  /** The first value of a response header (case-insensitive name), or null. */
  String header(String name);

  /** All response headers, names in lower case. */
  Map<String, List<String>> headers();

  /** The body; read it once. */
  InputStream body();

  /**
   * Reads the whole body, at most {@code max} bytes; an answer that announces its length is read in
   * one piece rather than in growing chunks.
   */
  byte[] readAll(int max) throws java.io.IOException;

  /** Milliseconds from sending the request to the provider's status line. */
  long firstByteMillis();

  /**
   * Why the gateway cut this answer short (a timeout, naming the limit and its key), or null when it
   * did not.
   */
  default String failure() {
    return null;
  }

  /** Aborts the upstream exchange; safe to call more than once and after the end. */
  void cancel();

  @Override
  default void close() {
    cancel();
  }
}
