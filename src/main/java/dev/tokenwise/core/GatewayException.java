package dev.tokenwise.core;

/**
 * The one exception of the gateway: a kind from the short table, a message that is safe to show the
 * caller (it never holds a key or a prompt), and optionally the request field at fault and the
 * provider's own status and error body.
 */
public final class GatewayException extends RuntimeException {
  private final ErrorKind kind;
  private final String param;
  private final int status;
  private final byte[] upstreamBody;
  private final String retryAfter;

  private GatewayException(
      ErrorKind kind, String message, String param, int status, byte[] upstreamBody, String retryAfter,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.param = param;
    this.status = status;
    this.upstreamBody = upstreamBody;
    this.retryAfter = retryAfter;
  }

  /** An error of the given kind with a message for the caller. */
  public static GatewayException of(ErrorKind kind, String message) {
    return new GatewayException(kind, message, null, kind.status(), null, null, null);
  }

  /** A bad request naming the field that was wrong. */
  public static GatewayException invalid(String param, String message) {
    return new GatewayException(ErrorKind.INVALID_REQUEST, message, param, 400, null, null, null);
  }

  /** An error of the given kind caused by a lower-level failure. */
  public static GatewayException of(ErrorKind kind, String message, Throwable cause) {
    return new GatewayException(kind, message, null, kind.status(), null, null, cause);
  }

  /** The provider's own error answer, kept so it can be relayed with its status. */
  public static GatewayException upstream(
      ErrorKind kind, int status, String message, byte[] body, String retryAfter) {
    return new GatewayException(kind, message, null, status, body, retryAfter, null);
  }

  /** The same error with the request field at fault. */
  public GatewayException withParam(String param) {
    return new GatewayException(kind, getMessage(), param, status, upstreamBody, retryAfter, getCause());
  }

  /** The same error telling the caller when to try again ({@code retry-after}, in seconds). */
  public GatewayException withRetryAfter(String seconds) {
    return new GatewayException(kind, getMessage(), param, status, upstreamBody, seconds, getCause());
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }

  /** The HTTP status the caller sees. */
  public int status() {
    return status;
  }

  /** The provider's error body when it sent one, or null. */
  public byte[] upstreamBody() {
    return upstreamBody;
  }

  /** The provider's Retry-After value, or null. */
  public String retryAfter() {
    return retryAfter;
  }
}
