package dev.tokenwise.store;

import java.time.Clock;

/** Opens the request log that a {@code store.url} names. */
public final class LogStores {

  private LogStores() {}

  /**
   * Opens {@code sqlite:PATH} (relative paths against the working directory; missing folders are made)
   * or {@code postgresql://user:pass@host:port/db[?params]} (also {@code postgres://} and
   * {@code jdbc:postgresql://}), and applies any schema migrations it lacks.
   *
   * @throws IllegalArgumentException when the URL is none of these; the message lists the accepted
   *     forms and never shows a password
   */
  public static LogStore open(String url) {
    return JdbcLogStore.open(StoreUrl.parse(url), Clock.systemUTC());
  }
}
