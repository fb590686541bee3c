package dev.tokenwise.core;

import java.lang.System.Logger.Level;

/**
 * The short table of everything that can go wrong, with what each means for the caller and for the
 * fallback chain. The server renders each kind in the caller's dialect.
 */
public enum ErrorKind {
  // kind                  status  retry  fallback  log level
  INVALID_REQUEST(         400,    false, false,    Level.DEBUG),
  UNAUTHORIZED(            401,    false, false,    Level.DEBUG),
  FORBIDDEN(               403,    false, false,    Level.DEBUG),
  NOT_FOUND(               404,    false, false,    Level.DEBUG),
  UNKNOWN_MODEL(           400,    false, false,    Level.DEBUG),
  PAYLOAD_TOO_LARGE(       413,    false, false,    Level.DEBUG),
  UNSUPPORTED_MEDIA_TYPE(  415,    false, false,    Level.DEBUG),
  RATE_LIMITED(            429,    true,  true,     Level.INFO),
  /** A spend cap or the anomaly guard of the caller's tenant or pattern tripped; nothing went upstream. */
  SPEND_GUARD(             429,    false, false,    Level.INFO),
  /** The provider answered with an error of its own; the status is the provider's. */
  UPSTREAM_ERROR(          502,    false, false,    Level.INFO),
  /** The provider could not be reached at all (refused, reset, DNS). */
  UPSTREAM_UNREACHABLE(    502,    true,  true,     Level.WARNING),
  /** The provider answered 200 with something that is not its wire format. */
  UPSTREAM_BAD_RESPONSE(   502,    true,  true,     Level.WARNING),
  UPSTREAM_TIMEOUT(        504,    true,  true,     Level.WARNING),
  OVERLOADED(              503,    true,  true,     Level.INFO),
  /** The client went away; nothing is sent back. */
  CLIENT_CLOSED(           499,    false, false,    Level.DEBUG),
  INTERNAL(                500,    false, false,    Level.ERROR);

  private final int status;
  private final boolean retryable;
  private final boolean fallbackEligible;
  private final Level logLevel;

  ErrorKind(int status, boolean retryable, boolean fallbackEligible, Level logLevel) {
    this.status = status;
    this.retryable = retryable;
    this.fallbackEligible = fallbackEligible;
    this.logLevel = logLevel;
  }

  /** The HTTP status the caller sees, unless the exception carries the provider's own. */
  public int status() {
    return status;
  }

  /** Whether the same provider may be tried again. */
  public boolean retryable() {
    return retryable;
  }

  /** Whether the next provider of a fallback chain may be tried. */
  public boolean fallbackEligible() {
    return fallbackEligible;
  }

  /** How loudly the gateway logs it. */
  public Level logLevel() {
    return logLevel;
  }
}
