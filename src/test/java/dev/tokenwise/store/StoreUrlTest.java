package dev.tokenwise.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

  @Test
  void resolves_a_relative_sqlite_path_against_the_working_directory() {
    StoreUrl url = StoreUrl.parse("sqlite:./tokenwise-data/tokenwise.db");

    Path expected = Path.of("").toAbsolutePath().resolve("tokenwise-data/tokenwise.db").normalize();
    assertEquals(SqlFlavor.SQLITE, url.flavor());
    assertEquals(expected, url.file());
    assertEquals("jdbc:sqlite:" + expected, url.jdbcUrl());
  }

  @Test
  void keeps_an_absolute_sqlite_path() {
    StoreUrl url = StoreUrl.parse("sqlite:/var/lib/tokenwise/log.db");

    assertEquals(Path.of("/var/lib/tokenwise/log.db"), url.file());
  }

  @Test
  void rejects_sqlite_without_a_file() {
    assertThrows(IllegalArgumentException.class, () -> StoreUrl.parse("sqlite:"));
    assertThrows(IllegalArgumentException.class, () -> StoreUrl.parse("sqlite::memory:"));
  }

  @Test
  void reads_the_three_postgresql_forms_alike() {
    for (String url :
        new String[] {
          "postgresql://tokenwise:s3cret@db.local:5433/logs?sslmode=disable",
          "postgres://tokenwise:s3cret@db.local:5433/logs?sslmode=disable",
          "jdbc:postgresql://tokenwise:s3cret@db.local:5433/logs?sslmode=disable",
          "jdbc:postgresql://db.local:5433/logs?user=tokenwise&password=s3cret&sslmode=disable"
        }) {
      StoreUrl parsed = StoreUrl.parse(url);
      assertEquals(SqlFlavor.POSTGRESQL, parsed.flavor(), url);
      assertEquals("jdbc:postgresql://db.local:5433/logs?sslmode=disable", parsed.jdbcUrl(), url);
      assertEquals("tokenwise", parsed.user(), url);
      assertEquals("s3cret", parsed.password(), url);
      assertEquals("postgresql://tokenwise:***@db.local:5433/logs?sslmode=disable", parsed.redacted());
    }
  }

  @Test
  void decodes_escaped_characters_in_the_password() {
    StoreUrl url = StoreUrl.parse("postgresql://me:p%40ss%2Fw+rd%25@127.0.0.1/db");

    assertEquals("p@ss/w+rd%", url.password());
    assertEquals("jdbc:postgresql://127.0.0.1/db", url.jdbcUrl());
  }

  @Test
  void takes_the_last_at_sign_as_the_end_of_an_unescaped_password() {
    StoreUrl url = StoreUrl.parse("postgresql://me:pa/ss@word?@127.0.0.1:5432/db");

    assertEquals("pa/ss@word?", url.password());
    assertEquals("jdbc:postgresql://127.0.0.1:5432/db", url.jdbcUrl());
    assertFalse(url.toString().contains("pa/ss"));
  }

  @Test
  void accepts_a_url_without_credentials_or_host() {
    StoreUrl url = StoreUrl.parse("postgresql:///tokenwise");

    assertEquals("jdbc:postgresql://localhost/tokenwise", url.jdbcUrl());
    assertNull(url.user());
    assertNull(url.password());
  }

  @Test
  void never_shows_the_password_in_its_text_form() {
    StoreUrl url = StoreUrl.parse("postgresql://tokenwise:hunter2@127.0.0.1:5432/tokenwise");

    assertFalse(url.toString().contains("hunter2"));
    assertEquals("postgresql://tokenwise:***@127.0.0.1:5432/tokenwise", url.toString());
  }

  @Test
  void rejects_other_schemes_naming_the_accepted_forms_without_the_password() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StoreUrl.parse("mysql://root:hunter2@db/x?password=hunter3"));

    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter3"), e.getMessage());
    assertTrue(e.getMessage().contains("sqlite:PATH"), e.getMessage());
    assertTrue(e.getMessage().contains("postgresql://user:pass@host:port/db"), e.getMessage());
  }

  @Test
  void rejects_a_postgresql_url_without_a_database_without_the_password() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LogStores.open("postgresql://tokenwise:hunter2@127.0.0.1:5432"));

    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("names no database"), e.getMessage());
  }

  @Test
  void rejects_an_empty_url() {
    assertThrows(IllegalArgumentException.class, () -> LogStores.open(" "));
  }
}
