package dev.tokenwise.server;

import dev.tokenwise.config.Config;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tells who calls. A client's own provider key passes through to the provider and names the tenant by
 * a salted hash, so the key itself is stored nowhere; a gateway key ({@code tw-…}) names its tenant and
 * the provider keys the gateway holds for it.
 */
final class Auth {
  static final String ANONYMOUS = "anonymous";
  private final Config.Auth config;
  private final byte[] salt;

  Auth(Config.Auth config, String salt) {
    this.config = config;
    this.salt = salt.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The credentials of a request.
   *
   * @param authorization the Authorization header, or null
   * @param apiKey the x-api-key header, or null
   */
  Credentials identify(String authorization, String apiKey) {
    String key = null;
    boolean bearer = false;
    if (apiKey != null && !apiKey.isBlank()) {
      key = apiKey.strip();
    } else if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      key = authorization.substring(7).strip();
      bearer = true;
    }
    if (key == null || key.isEmpty()) {
      if (config.requireGatewayKey()) {
        throw GatewayException.of(ErrorKind.UNAUTHORIZED,
            "this gateway requires a gateway key (tw-…) in Authorization: Bearer or x-api-key");
      }
      return new Credentials(ANONYMOUS, null, false, Map.of());
    }
    if (key.startsWith("tw-")) {
      Config.GatewayKey gk = config.keys().get(key);
      if (gk == null) {
        throw GatewayException.of(ErrorKind.UNAUTHORIZED, "unknown gateway key (it starts with tw- but is not "
            + "listed under auth.keys)");
      }
      return new Credentials(gk.tenant(), null, bearer, gk.providerKeys());
    }
    if (config.requireGatewayKey()) {
      throw GatewayException.of(ErrorKind.UNAUTHORIZED,
          "this gateway accepts only gateway keys (tw-…); provider keys are held by the gateway");
    }
    return new Credentials(tenantOf(key), key, bearer, Map.of());
  }

  /** The tenant name of a client key: {@code t-} and 16 hex digits of SHA-256(salt, key). */
  String tenantOf(String key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      md.update((byte) 0);
      byte[] digest = md.digest(key.getBytes(StandardCharsets.UTF_8));
      return "t-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
