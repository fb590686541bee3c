package dev.tokenwise.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The two databases the request log runs on, and the few places where their SQL differs. */
enum SqlFlavor {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String folder;

  SqlFlavor(String folder) {
    this.folder = folder;
  }

  /** The classpath folder holding this flavor's migration scripts. */
  String migrationFolder() {
    return "db/" + folder + "/";
  }

  /** Starts a write transaction on a connection in auto-commit mode. */
  void begin(Connection c) throws SQLException {
    if (this == SQLITE) {
      // IMMEDIATE takes the write lock up front, so the busy timeout applies; a deferred transaction
      // that reads first and then writes fails at once with SQLITE_BUSY when another writer got there.
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
    } else {
      c.setAutoCommit(false);
    }
  }

  /** Commits what {@link #begin} started and leaves the connection in auto-commit mode. */
  void commit(Connection c) throws SQLException {
    if (this == SQLITE) {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    } else {
      c.commit();
      c.setAutoCommit(true);
    }
  }

  /** Rolls back what {@link #begin} started, if anything; never throws, so the first error stands. */
  void rollbackQuietly(Connection c, Throwable cause) {
    try {
      if (this == SQLITE) {
        // Always tried: after a failed statement SQLite may or may not still hold the transaction, and
        // a connection must not go back to the pool inside one.
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK");
        }
      } else if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
