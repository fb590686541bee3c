package dev.tokenwise.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date at open, from the versioned scripts under
 * {@code db/<flavor>/}. Every script runs in one transaction with its {@code schema_version} row, so a
 * crash leaves either the old or the new schema. Two gateway instances opening one PostgreSQL at once
 * queue on a transaction-scoped advisory lock (released by the commit, even if the instance dies);
 * on SQLite, {@code BEGIN IMMEDIATE} gives the same ordering through the file's write lock.
 *
 * <p>A script's version is the number in its name ({@code V5__alerts.sql} is 5), and every known script
 * that a database lacks runs, in version order: versions may be numbered apart on separate lines of
 * work, and a database that got version 5 before version 4 existed gets 4 later.
 */
final class Migrations {

  /** The scripts in the order they apply, by version. Each flavor has every one. */
  static final List<String> SCRIPTS = List.of("V1__requests.sql", "V2__request_trace.sql", "V3__response_cache.sql",
      "V4__attempts.sql", "V5__alerts.sql", "V6__call_shape.sql", "V7__evals.sql",
      "V8__shadow_pairs.sql");

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

  /** "tokenwis" in ASCII: any fixed key works, this one is unlikely to collide with another app's. */
  static final long ADVISORY_LOCK_KEY = 0x746f6b656e776973L;

  private Migrations() {}

  /** Applies the missing scripts; returns how many ran (0 when the schema was current). */
  static int apply(Connection c, SqlFlavor flavor, Instant now) throws SQLException {
    flavor.begin(c);
    try {
      int ran = applyLocked(c, flavor, now);
      flavor.commit(c);
      return ran;
    } catch (SQLException | RuntimeException e) {
      flavor.rollbackQuietly(c, e);
      throw e;
    }
  }

  private static int applyLocked(Connection c, SqlFlavor flavor, Instant now) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (flavor == SqlFlavor.POSTGRESQL) {
        s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
      }
      s.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + " version INTEGER NOT NULL PRIMARY KEY,"
              + " script TEXT NOT NULL,"
              + " applied_ms BIGINT NOT NULL)");
    }
    java.util.Set<Integer> applied = appliedVersions(c);
    List<Integer> known = SCRIPTS.stream().map(Migrations::version).toList();
    List<Integer> unknown = applied.stream().filter(v -> !known.contains(v)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          "the request log's schema has version " + unknown.getLast() + " but this tokenwise knows only "
              + known + "; run a tokenwise at least as new as the one that wrote it");
    }
    int ran = 0;
    for (String script : SCRIPTS) {
      int v = version(script);
      if (applied.contains(v)) {
        continue;
      }
      ran++;
      try (Statement s = c.createStatement()) {
        for (String sql : statements(load(flavor, script))) {
          s.execute(sql);
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO schema_version (version, script, applied_ms) VALUES (?, ?, ?)")) {
        p.setInt(1, v);
        p.setString(2, script);
        p.setLong(3, now.toEpochMilli());
        p.executeUpdate();
      }
    }
    return ran;
  }

  /** The versions a database has, none for a new one. */
  static java.util.Set<Integer> appliedVersions(Connection c) throws SQLException {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  /** The version in a script's name. */
  static int version(String script) {
    var m = NAME.matcher(script);
    if (!m.matches()) {
      throw new IllegalStateException("migration " + script + " is not named V<version>__<name>.sql");
    }
    return Integer.parseInt(m.group(1));
  }

  /** A script's text from the classpath. */
  static String load(SqlFlavor flavor, String script) {
    String resource = flavor.migrationFolder() + script;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration " + resource, e);
    }
  }

  /**
   * Splits a script into statements at semicolons that end a line, dropping {@code --} comment lines.
   * The scripts are ours and keep to that shape, so no SQL parser is needed.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        out.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
