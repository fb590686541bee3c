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
 * @param timeout the longest wait for the first byte of an answer
 * @param headers extra headers sent on every call
 * @param dropParams request fields this vendor rejects, removed before forwarding
 */
public record ProviderConfig(
    String name,
    Kind kind,
    String baseUrl,
    String apiKey,
    Duration timeout,
    Map<String, String> headers,
    java.util.List<String> dropParams) {

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
