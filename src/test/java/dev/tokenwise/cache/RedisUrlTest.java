package dev.tokenwise.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisUrlTest {

  @Test
  void reads_host_and_port_with_the_defaults() {
    RedisUrl u = RedisUrl.parse("redis://cache.internal:6380");
    assertEquals("cache.internal", u.host());
    assertEquals(6380, u.port());
    assertNull(u.user());
    assertNull(u.password());
    assertEquals(0, u.database());
    assertFalse(u.tls());
    assertEquals("redis://cache.internal:6380", u.redacted());

    assertEquals(6379, RedisUrl.parse("redis://h").port());
  }

  @Test
  void reads_password_user_database_and_tls() {
    RedisUrl u = RedisUrl.parse("rediss://app:s3cr%40t+x@h:6390/2");
    assertEquals("app", u.user());
    assertEquals("s3cr@t+x", u.password());
    assertEquals(2, u.database());
    assertTrue(u.tls());
    assertEquals("rediss://***@h:6390/2", u.redacted());
    assertEquals("rediss://***@h:6390/2", u.toString());
  }

  @Test
  void reads_a_lone_user_info_or_an_empty_user_as_the_password() {
    RedisUrl token = RedisUrl.parse("rediss://token123@h:6380");
    assertNull(token.user());
    assertEquals("token123", token.password());

    RedisUrl colon = RedisUrl.parse("redis://:pw@h:6379/0");
    assertNull(colon.user());
    assertEquals("pw", colon.password());
  }

  @Test
  void reads_an_ipv6_host() {
    RedisUrl u = RedisUrl.parse("redis://[::1]:6390");
    assertEquals("::1", u.host());
    assertEquals("redis://[::1]:6390", u.redacted());
  }

  @Test
  void rejects_other_forms_without_showing_the_password() {
    for (String bad : new String[] {"http://:pw-secret-1@h:6379", "redis://:pw-secret-1@h:6379/x", "redis:///0",
        "", "redis://:pw-secret-1@h:6379/-1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(bad), bad);
      assertFalse(e.getMessage().contains("pw-secret-1"), e.getMessage());
    }
  }
}
