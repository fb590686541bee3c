package dev.tokenwise.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The shadow pairs' table on SQLite. */
class ShadowTableTest extends ShadowTableContract {
  @TempDir Path dir;
  private LogStore store;

  @BeforeEach
  void open() {
    store = JdbcLogStore.open(StoreUrl.parse("sqlite:" + dir.resolve("log.db")), Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  LogStore store() {
    return store;
  }
}
