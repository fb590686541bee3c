package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The shadow pairs' table on a real PostgreSQL ({@code TOKENWISE_TEST_PG_URL}), a schema per test. */
class PostgresShadowTableIT extends ShadowTableContract {
  private static final String ENV = "TOKENWISE_TEST_PG_URL";
  private static String baseUrl;
  private String schema;
  private LogStore store;

  @BeforeAll
  static void require_postgresql() {
    baseUrl = System.getenv(ENV);
    if (baseUrl == null || baseUrl.isBlank()) {
      fail(ENV + " is not set; start PostgreSQL with  eval \"$(bash .ci/services.sh)\"  or point " + ENV
          + " at yours");
    }
  }

  @BeforeEach
  void open() throws SQLException {
    schema = "shadow_it_" + UUID.randomUUID().toString().replace("-", "");
    admin("CREATE SCHEMA " + schema);
    store = LogStores.open(baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  @AfterEach
  void drop() throws SQLException {
    store.close();
    admin("DROP SCHEMA " + schema + " CASCADE");
  }

  private void admin(String sql) throws SQLException {
    StoreUrl parsed = StoreUrl.parse(baseUrl);
    try (Connection c = DriverManager.getConnection(parsed.jdbcUrl(), parsed.user(), parsed.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  LogStore store() {
    return store;
  }
}
