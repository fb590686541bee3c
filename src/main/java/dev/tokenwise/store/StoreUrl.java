package dev.tokenwise.store;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed {@code store.url}: which database, the JDBC URL without credentials, and the credentials
 * apart, so that the password never appears in a URL that a pool, a log line or an error could print.
 *
 * @param flavor which SQL dialect and migrations apply
 * @param jdbcUrl the JDBC URL, free of user and password
 * @param file the SQLite file, or null for PostgreSQL
 * @param user the PostgreSQL user, or null
 * @param password the PostgreSQL password, or null
 * @param redacted the URL as it may be shown: the password replaced by {@code ***}
 */
record StoreUrl(
    SqlFlavor flavor, String jdbcUrl, Path file, String user, String password, String redacted) {

  static final String ACCEPTED =
      "sqlite:PATH (relative to the working directory), postgresql://user:pass@host:port/db[?params],"
          + " postgres://... or jdbc:postgresql://...";

  private static final List<String> PG_PREFIXES =
      List.of("jdbc:postgresql://", "postgresql://", "postgres://");
  private static final Pattern USERINFO = Pattern.compile("//.*@");
  private static final Pattern QUERY_PASSWORD =
      Pattern.compile("((?:^|[?&;])password=)[^&;]*", Pattern.CASE_INSENSITIVE);

  /** Parses a store URL; the message of a rejection names the accepted forms and hides passwords. */
  static StoreUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("store.url is empty; use " + ACCEPTED);
    }
    String trimmed = url.strip();
    if (trimmed.startsWith("sqlite:")) {
      return sqlite(trimmed);
    }
    for (String prefix : PG_PREFIXES) {
      if (trimmed.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return postgresql(trimmed, trimmed.substring(prefix.length()));
      }
    }
    throw new IllegalArgumentException(
        "store.url '" + redact(trimmed) + "' is not a store URL tokenwise knows; use " + ACCEPTED);
  }

  /** Hides any password that a URL-like string may hold: the whole user info and password parameters. */
  static String redact(String url) {
    // Greedy up to the last '@', the same split the parser uses, so no part of a password survives.
    String noUserinfo = USERINFO.matcher(url).replaceFirst("//***@");
    return QUERY_PASSWORD.matcher(noUserinfo).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return redacted;
  }

  private static StoreUrl sqlite(String url) {
    String path = url.substring("sqlite:".length());
    if (path.isBlank() || path.startsWith(":memory:")) {
      throw new IllegalArgumentException(
          "store.url '" + url + "' names no file; the request log needs one, e.g."
              + " sqlite:./tokenwise-data/tokenwise.db; accepted: " + ACCEPTED);
    }
    Path file = Path.of(path);
    if (!file.isAbsolute()) {
      // Resolved once here so that a later change of directory cannot move the log.
      file = Path.of("").toAbsolutePath().resolve(file);
    }
    file = file.normalize();
    return new StoreUrl(SqlFlavor.SQLITE, "jdbc:sqlite:" + file, file, null, null, "sqlite:" + file);
  }

  private static StoreUrl postgresql(String url, String rest) {
    // The last '@' ends the user info: a password written without %-escapes may hold '/', '?' or '@'.
    int at = rest.lastIndexOf('@');
    String userinfo = at >= 0 ? rest.substring(0, at) : null;
    String afterUser = rest.substring(at + 1);
    int authorityEnd = afterUser.length();
    for (char c : new char[] {'/', '?'}) {
      int i = afterUser.indexOf(c);
      if (i >= 0 && i < authorityEnd) {
        authorityEnd = i;
      }
    }
    String hosts = afterUser.substring(0, authorityEnd);
    String pathAndQuery = afterUser.substring(authorityEnd);

    String user = null;
    String password = null;
    if (userinfo != null) {
      int colon = userinfo.indexOf(':');
      user = percentDecode(colon >= 0 ? userinfo.substring(0, colon) : userinfo, url);
      password = colon >= 0 ? percentDecode(userinfo.substring(colon + 1), url) : null;
    }

    int q = pathAndQuery.indexOf('?');
    String path = q >= 0 ? pathAndQuery.substring(0, q) : pathAndQuery;
    String query = q >= 0 ? pathAndQuery.substring(q + 1) : "";
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException(
          "store.url '" + redact(url) + "' names no database (or more than one path segment); use "
              + ACCEPTED);
    }

    List<String> kept = new ArrayList<>();
    for (String param : query.split("[&;]")) {
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      String key = eq >= 0 ? param.substring(0, eq) : param;
      String value = eq >= 0 ? URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8) : "";
      if (key.equalsIgnoreCase("user")) {
        user = value;
      } else if (key.equalsIgnoreCase("password")) {
        password = value;
      } else {
        kept.add(param);
      }
    }

    String hostList = hosts.isEmpty() ? "localhost" : hosts;
    String tail = "/" + database + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    String jdbcUrl = "jdbc:postgresql://" + hostList + tail;
    String shownUser = user == null ? "" : user + (password == null ? "" : ":***") + "@";
    String redacted = "postgresql://" + shownUser + hostList + tail;
    return new StoreUrl(SqlFlavor.POSTGRESQL, jdbcUrl, null, user, password, redacted);
  }

  /** Decodes %XX escapes as UTF-8 and leaves '+' alone, as user info (unlike a query) requires. */
  private static String percentDecode(String text, String url) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException(
              "store.url '" + redact(url) + "' has a broken %-escape in its user or password; "
                  + "write a literal '%' as %25");
        }
        bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
