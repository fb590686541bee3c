package dev.tokenwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The work the gateway's hot path does around one call, independent of the HTTP libraries: parse
 * the request as a tree, write it back (as a rewriting stage would), forward it, parse the answer,
 * price its usage and name the result in a few response headers.
 */
final class Relay {

    /** Status, body and extra headers to send back to the caller. */
    record Reply(int status, byte[] body, Map<String, String> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    // gpt-4o-mini list prices, USD per token; enough to make the cost arithmetic real.
    private static final double INPUT_USD = 0.15e-6;
    private static final double OUTPUT_USD = 0.60e-6;

    private final Upstream upstream;
    private final String variant;

    Relay(Upstream upstream, String variant) {
        this.upstream = upstream;
        this.variant = variant;
    }

    Reply handle(byte[] requestBody, String authorization) {
        JsonNode request;
        try {
            request = JSON.readTree(requestBody);
        } catch (Exception e) {
            return error(400, "request body is not JSON: " + e.getMessage());
        }
        if (!(request instanceof ObjectNode obj) || !obj.path("model").isTextual()) {
            return error(400, "request needs a JSON object with a string 'model'");
        }
        String model = obj.get("model").asText();
        Upstream.Answer answer;
        try {
            answer = upstream.post(JSON.writeValueAsBytes(obj), authorization);
        } catch (Exception e) {
            return error(502, "upstream call failed: " + e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-tokenwise-provider", "openai");
        headers.put("x-tokenwise-model", model);
        headers.put("x-tokenwise-cache", "miss");
        headers.put("x-tokenwise-attempts", "1");
        headers.put("x-tokenwise-request-id", Long.toHexString(ThreadLocalRandom.current().nextLong()));
        headers.put("x-tokenwise-variant", variant);
        // Lets the bench check that each server runs its handler on a virtual thread.
        headers.put("x-bench-virtual-thread", String.valueOf(Thread.currentThread().isVirtual()));
        if (answer.status() / 100 == 2) {
            try {
                JsonNode usage = JSON.readTree(answer.body()).path("usage");
                double cost = usage.path("prompt_tokens").asLong() * INPUT_USD
                        + usage.path("completion_tokens").asLong() * OUTPUT_USD;
                String usd = String.format(Locale.ROOT, "%.8f", cost);
                headers.put("x-tokenwise-cost-usd", usd);
                headers.put("x-tokenwise-baseline-usd", usd);
            } catch (Exception e) {
                return error(502, "upstream answer is not JSON: " + e.getMessage());
            }
        }
        return new Reply(answer.status(), answer.body(), headers);
    }

    private static Reply error(int status, String message) {
        ObjectNode err = JSON.createObjectNode();
        err.putObject("error").put("message", message).put("type", "bench_error");
        byte[] body = err.toString().getBytes(StandardCharsets.UTF_8);
        return new Reply(status, body, Map.of());
    }
}
