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

  /**
   * The SQLite file a URL names when it does not exist yet (nothing was ever logged there), else empty;
   * a PostgreSQL URL is always empty, since only the server can say what it holds.
   */
  public static java.util.Optional<java.nio.file.Path> missingFile(String url) {
    StoreUrl parsed = StoreUrl.parse(url);
    if (parsed.flavor() != SqlFlavor.SQLITE || java.nio.file.Files.exists(parsed.file())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(parsed.file());
  }

  /** The URL as it may be shown, the password hidden. */
  public static String redacted(String url) {
    return StoreUrl.redact(url);
  }
}
