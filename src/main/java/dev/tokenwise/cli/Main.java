package dev.tokenwise.cli;

import dev.tokenwise.app.Gateway;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigException;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.provider.sim.Simulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code tokenwise serve | simulate | help}. */
public final class Main {
  static final String HELP = """
      tokenwise: an LLM API gateway that measures and cuts what every call costs.

      Usage: tokenwise COMMAND [OPTIONS]

      Commands:
        serve      Run the gateway (default port 8787). Point your SDK's base URL at it:
                   OpenAI  http://127.0.0.1:8787/v1    Anthropic  http://127.0.0.1:8787
        simulate   Run the provider simulator alone (OpenAI and Anthropic wire formats,
                   deterministic answers, scripted faults), for your own tests.
        test       Run the test suite with the JDK the launcher found (./tokenwise test).
        help       Show this help.

      Options:
        --config FILE   The YAML config (default: ./tokenwise.yaml when it exists,
                        else built-in defaults with keys from OPENAI_API_KEY, ANTHROPIC_API_KEY, ...)
        --port N        Listen on port N (serve: overrides server.port; simulate: default 8788)
      """;

  /** Held so that the levels set on them are not lost with the loggers. */
  private static final List<java.util.logging.Logger> QUIET = new ArrayList<>();

  private Main() {}

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    configureLogging();
    System.exit(run(args, System.out, System.err));
  }

  /** One line per message; the libraries' start-up chatter only from warnings up. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    for (String name : new String[] {"io.helidon", "com.zaxxer.hikari", "org.sqlite"}) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.WARNING);
      QUIET.add(logger);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String configFile = null;
    Integer port = null;
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    for (int i = 0; i < rest.size(); i++) {
      String a = rest.get(i);
      if ((a.equals("--config") || a.equals("--port")) && i + 1 >= rest.size()) {
        err.println("tokenwise: " + a + " needs a value");
        return 2;
      }
      if (a.equals("--config")) {
        configFile = rest.get(++i);
      } else if (a.startsWith("--config=")) {
        configFile = a.substring(9);
      } else if (a.equals("--port") || a.startsWith("--port=")) {
        String v = a.equals("--port") ? rest.get(++i) : a.substring(7);
        try {
          port = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          err.println("tokenwise: --port needs a number, got '" + v + "'");
          return 2;
        }
      } else {
        err.println("tokenwise: unknown option '" + a + "' for " + command + "; see 'tokenwise help'");
        return 2;
      }
    }
    try {
      return switch (command) {
        case "serve" -> serve(configFile, port, out);
        case "simulate" -> simulate(port == null ? 8788 : port, out);
        default -> {
          err.println("tokenwise: unknown command '" + command + "'; see 'tokenwise help'");
          yield 2;
        }
      };
    } catch (ConfigException e) {
      err.println("tokenwise: " + e.getMessage());
      return 2;
    }
  }

  private static int serve(String configFile, Integer port, PrintStream out) {
    java.util.Optional<Path> file = ConfigLoader.locate(configFile, Path.of("").toAbsolutePath());
    Config config = file.map(f -> ConfigLoader.load(f, System.getenv()))
        .orElseGet(() -> ConfigLoader.defaults(System.getenv()));
    if (port != null) {
      Config.Server s = config.server();
      config = new Config(new Config.Server(s.host(), port, s.maxBodyBytes(), s.shutdownGrace()), config.store(),
          config.redis(), config.providers(), config.models(), config.prices(), config.auth(), config.retry(),
          config.guard(), config.log(), config.cache(), config.policies());
    }
    Gateway gateway = Gateway.start(config, java.time.Clock.systemUTC(), file.orElse(null), System.getenv());
    String base = "http://" + config.server().host() + ":" + gateway.port();
    out.println("tokenwise listening on " + base);
    out.println("  OpenAI SDK base URL:    " + base + "/v1");
    out.println("  Anthropic SDK base URL: " + base);
    out.println("  request log:            " + config.store().url());
    file.ifPresent(f -> out.println("  config:                 " + f + " (policies reload when it changes)"));
    System.getLogger("tokenwise").log(System.Logger.Level.INFO, "effective configuration:\n"
        + ConfigLoader.describe(config));
    awaitShutdown(gateway::close);
    return 0;
  }

  private static int simulate(int port, PrintStream out) {
    Simulator sim = Simulator.start(port);
    out.println("tokenwise provider simulator listening on " + sim.baseUrl());
    out.println("  OpenAI base URL:    " + sim.baseUrl() + "/v1");
    out.println("  Anthropic base URL: " + sim.baseUrl());
    out.println("  script it:          POST " + sim.baseUrl() + "/_sim/rules");
    awaitShutdown(sim::close);
    return 0;
  }

  private static void awaitShutdown(Runnable close) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close.run();
      stopped.countDown();
    }, "tokenwise-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
