package dev.tokenwise.provider;

import static dev.tokenwise.provider.FailureClass.FAIL;
import static dev.tokenwise.provider.FailureClass.FALLBACK;
import static dev.tokenwise.provider.FailureClass.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FailureClassTest {

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void server_errors_overload_timeouts_and_rate_limits_are_retried() {
    for (int status : new int[] {408, 429, 500, 502, 503, 504, 529}) {
      assertEquals(RETRY, FailureClass.of(status, null, null), "HTTP " + status);
    }
    assertEquals(RETRY, FailureClass.of(429, json("""
        {"error":{"message":"Rate limit reached","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"""), null));
    assertEquals(RETRY, FailureClass.of(529, json("""
        {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), null));
  }

  @Test
  void every_other_4xx_goes_back_at_once() {
    for (int status : new int[] {400, 401, 402, 403, 404, 409, 413, 415, 422}) {
      assertEquals(FAIL, FailureClass.of(status, null, null), "HTTP " + status);
    }
    assertEquals(FAIL, FailureClass.of(501, null, null), "not implemented does not heal");
    assertEquals(FAIL, FailureClass.of(302, null, null), "a redirect is no answer to wait for");
  }

  @Test
  void a_spent_quota_skips_to_the_next_model_without_asking_again() {
    assertEquals(FALLBACK, FailureClass.of(429, json("""
        {"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,
        "code":"insufficient_quota"}}"""), null));
    assertEquals(FALLBACK, FailureClass.of(429, json("""
        {"type":"error","error":{"type":"rate_limit_error","message":"spend limit",
        "details":{"error_code":"enforced_spend_limit_reached"}}}"""), null));
  }

  @Test
  void a_200_that_is_no_answer_is_retried() {
    assertEquals(RETRY, FailureClass.of(200, null, null));
    assertEquals(RETRY, FailureClass.of(200, json("{\"error\":{\"message\":\"upstream\"}}"), null));
  }

  @Test
  void transport_failures_are_retried_and_gateway_defects_are_not() {
    assertEquals(RETRY, FailureClass.of(0, null, new ConnectException("refused")));
    assertEquals(RETRY, FailureClass.of(0, null, new UncheckedIOException(new SocketTimeoutException("read"))));
    assertEquals(RETRY, FailureClass.of(200, null, new EOFException("the stream ended before its first event")));
    assertEquals(RETRY, FailureClass.of(0, null, GatewayException.of(ErrorKind.UPSTREAM_TIMEOUT, "slow")));
    assertEquals(RETRY, FailureClass.of(0, null, GatewayException.of(ErrorKind.UPSTREAM_UNREACHABLE, "down")));
    assertEquals(RETRY, FailureClass.of(0, null, GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, "cut")));
    assertEquals(FAIL, FailureClass.of(0, null, GatewayException.of(ErrorKind.UNAUTHORIZED, "no key")));
    assertEquals(FAIL, FailureClass.of(0, null, new IllegalStateException("a bug")));
  }

  @Test
  void a_cause_chain_is_searched_to_a_bounded_depth() {
    Throwable deep = new ConnectException("refused");
    for (int i = 0; i < 20; i++) {
      deep = new RuntimeException("wrapped " + i, deep);
    }
    assertEquals(FAIL, FailureClass.of(0, null, deep), "a chain deeper than the cap is not trusted to end");
    Throwable loop = new RuntimeException("a");
    Throwable b = new RuntimeException("b", loop);
    loop.initCause(b);
    assertEquals(FAIL, FailureClass.of(0, null, loop), "a cycle ends at the cap");
  }

  @Test
  void answers_of_each_endpoint_are_recognised() {
    assertTrue(FailureClass.isAnswer(json("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}")));
    assertTrue(FailureClass.isAnswer(json("{\"type\":\"message\",\"content\":[]}")));
    assertTrue(FailureClass.isAnswer(json("{\"object\":\"list\",\"data\":[]}")));
    assertTrue(FailureClass.isAnswer(json("{\"input_tokens\":12}")));
    assertFalse(FailureClass.isAnswer(json("{\"choices\":[]}")));
    assertFalse(FailureClass.isAnswer(json("[1,2]")));
    assertFalse(FailureClass.isAnswer(null));
  }
}
