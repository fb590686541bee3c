package dev.tokenwise.provider;

import java.time.Duration;
import java.util.Map;

/**
 * One HTTP call to a provider, fully prepared: the gateway's own headers are set, the client's key is
 * resolved.
 *
 * @param route the provider and model
 * @param path the path under the provider's base URL ({@code /chat/completions}, {@code /v1/messages})
 * @param method GET or POST
 * @param headers headers to send (auth included; never logged)
 * @param body the JSON body, or null for GET
 * @param timeout the longest wait for the status line
 */
public record UpstreamRequest(
    Route route, String path, String method, Map<String, String> headers, byte[] body, Duration timeout) {}
