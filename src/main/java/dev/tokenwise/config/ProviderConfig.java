package dev.tokenwise.config;

import java.time.Duration;
import java.util.Map;

/**
 * One upstream.
 *
 * @param name the name requests use ({@code groq/llama-3.3-70b-versatile})
 * @param kind the wire format it speaks: {@code openai} or {@code anthropic}
 * @param baseUrl where it is, e.g. {@code https://api.groq.com/openai/v1}
 * @param apiKey the key the gateway uses, or null to pass the client's own key through
 * @param timeout the longest one attempt may take, from sending the request to the answer's last byte
 * @param headers extra headers sent on every call
 * @param dropParams request fields this vendor rejects, removed before forwarding
 * @param connectTimeout the longest wait for a connection
 * @param firstByteTimeout the longest wait for the answer's status line and headers
 * @param idleTimeout the longest pause between two reads of an answer (between a stream's events)
 */
public record ProviderConfig(
    String name,
    Kind kind,
    String baseUrl,
    String apiKey,
    Duration timeout,
    Map<String, String> headers,
    java.util.List<String> dropParams,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout) {

  /** Default {@code connect_timeout}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default {@code first_byte_timeout}. */
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
  /** Default {@code idle_timeout}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Default {@code timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

  /** A provider with the default connect, first-byte and idle timeouts. */
  public ProviderConfig(String name, Kind kind, String baseUrl, String apiKey, Duration timeout,
      Map<String, String> headers, java.util.List<String> dropParams) {
    this(name, kind, baseUrl, apiKey, timeout, headers, dropParams, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_FIRST_BYTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
  }

  /** The wire format a provider speaks. */
  public enum Kind {
    OPENAI,
    ANTHROPIC
  }

  /** A printable view with the key masked, for logs and errors. */
  public String redacted() {
    return name + "{kind=" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", base_url=" + baseUrl
        + ", api_key=" + (apiKey == null ? "(client's own)" : "****") + "}";
  }
}
