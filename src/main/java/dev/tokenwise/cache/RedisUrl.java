package dev.tokenwise.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslOptions;

/**
 * A parsed {@code redis.url}: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://}
 * for TLS. A user info without a colon is a password (an access token), as most Redis clients read it.
 *
 * @param host the server's host name or address
 * @param port its port, 6379 when the URL names none
 * @param user the ACL user, or null for the default one
 * @param password the password, or null
 * @param database the logical database number
 * @param tls whether to connect over TLS
 * @param redacted the URL as it may be shown: no user info
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls, String redacted) {

  static final int DEFAULT_PORT = 6379;

  @Override
  public String toString() {
    return redacted;
  }

  /** The Jedis settings for this server: its database, credentials and TLS, with these timeouts. */
  public JedisClientConfig clientConfig(int connectTimeoutMs, int socketTimeoutMs) {
    DefaultJedisClientConfig.Builder c = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(connectTimeoutMs)
        .socketTimeoutMillis(socketTimeoutMs)
        .database(database)
        // RESP2 on every connection: a subscription needs it, and nothing in the cache needs RESP3.
        .resp2()
        .clientName("tokenwise");
    if (tls) {
      // Verifies the server's certificate and host name against the JVM's trust store.
      c.sslOptions(SslOptions.defaults());
    }
    if (password != null) {
      c.user(user).password(password);
    }
    return c.build();
  }

  /** Parses a Redis URL; the message of a rejection never shows the password. */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("redis.url is empty; use redis://HOST:PORT or rediss://HOST:PORT");
    }
    URI u;
    try {
      u = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw invalid(url, "it is not a URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw invalid(url, "the scheme must be redis or rediss");
    }
    String host = u.getHost();
    if (host == null || host.isEmpty()) {
      throw invalid(url, "it names no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = u.getPort() < 0 ? DEFAULT_PORT : u.getPort();

    String user = null;
    String password = null;
    String info = u.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }

    String path = u.getPath() == null ? "" : u.getPath();
    int database = 0;
    if (!path.isEmpty() && !path.equals("/")) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        database = -1;
      }
      if (database < 0) {
        throw invalid(url, "the path must be a database number such as /0");
      }
    }
    String shownHost = host.contains(":") ? "[" + host + "]" : host;
    String redacted = scheme + "://" + (info == null ? "" : "***@") + shownHost + ":" + port
        + (database == 0 ? "" : "/" + database);
    return new RedisUrl(host, port, user, password, database, scheme.equals("rediss"), redacted);
  }

  private static String decode(String part) {
    // URLDecoder reads '+' as a space; in user info it is a plus.
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException("redis.url '" + hideUserInfo(url) + "' is not usable: " + why
        + "; use redis://[:password@]HOST:PORT[/DB] or rediss://...");
  }

  private static String hideUserInfo(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
  }
}
