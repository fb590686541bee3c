package dev.tokenwise.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Who may use the admin API: callers on loopback, and others with {@code Authorization: Bearer <admin token>}. */
final class AdminAccess {
  private final byte[] adminToken;

  /** {@code adminToken} null means loopback only. */
  AdminAccess(String adminToken) {
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Loopback, or the admin token; anything else gets a 401 or 403 that says how to get in. */
  boolean allowed(ServerRequest req, ServerResponse res) {
    if (req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
        && a.getAddress().isLoopbackAddress()) {
      return true;
    }
    if (adminToken == null) {
      send(res, 403, error("the admin API answers on loopback only; set auth.admin_token to reach it from elsewhere"));
      return false;
    }
    String auth = req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).orElse("");
    byte[] given = auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, adminToken)) {
      send(res, 401, error("the admin API needs Authorization: Bearer <auth.admin_token>"));
      return false;
    }
    return true;
  }

  /** {@code {"error":{"message":…}}}. */
  static ObjectNode error(String message) {
    ObjectNode o = Json.object();
    o.putObject("error").put("message", message);
    return o;
  }

  /** A JSON answer. */
  static void send(ServerResponse res, int status, JsonNode body) {
    res.status(status);
    res.header("content-type", "application/json");
    res.send(Json.bytes(body));
  }
}
