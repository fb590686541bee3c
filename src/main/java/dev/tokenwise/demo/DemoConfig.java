package dev.tokenwise.demo;

import java.nio.file.Path;

/**
 * The config file the demo's gateway starts from: the simulator as both providers, the request log in
 * the demo's folder, no policies.
 */
final class DemoConfig {
  /** The key the gateway sends the simulator, which takes any: a stand-in, not a secret. */
  static final String SIMULATOR_KEY = "sim-demo-key";

  private DemoConfig() {}

  static String yaml(Path folder, String simulatorUrl) {
    return """
        # Written by tokenwise demo: the gateway in front of the provider simulator on loopback,
        # in simulated time. The demo's audit step adds the policies it applies below.
        server:
          host: 127.0.0.1
          port: 0
        store:
          url: %s
        auth:
          salt: tokenwise-demo
        providers:
          openai:
            base_url: %s
            api_key: %s
          anthropic:
            base_url: %s
            api_key: %s
        retry:
          # real time between two attempts: kept short, as a month replays in seconds
          backoff: 10ms
          max_backoff: 50ms
        log:
          retention: 365d
        policies: []
        """.formatted(quote("sqlite:" + folder.resolve("tokenwise.db")), quote(simulatorUrl + "/v1"),
        quote(SIMULATOR_KEY), quote(simulatorUrl), quote(SIMULATOR_KEY));
  }

  /** A YAML double-quoted scalar. */
  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
