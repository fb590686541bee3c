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
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code tokenwise serve | audit | apply | eval | demo | simulate | help}. */
public final class Main {
  static final String HELP = """
      tokenwise: an LLM API gateway that measures and cuts what every call costs.

      Usage: tokenwise COMMAND [OPTIONS]        (tokenwise COMMAND --help for its options)

      Commands:
        serve      Run the gateway (default port 8787). Point your SDK's base URL at it:
                   OpenAI  http://127.0.0.1:8787/v1    Anthropic  http://127.0.0.1:8787
        audit      The cost audit of the request log: where the money went, what grew, and for
                   the top patterns what to change, each with its monthly saving.
        apply      Write an audit recommendation's policy into the config (serve reloads it).
        eval       Prove a cheaper model first: replay a pattern's calls on cheaper models, score the
                   answers, and name the cheapest that passes, with its monthly saving.
        demo       The whole product with no key: the simulator, the gateway, a replayed month of
                   traffic, the audit, the safe recommendations applied, a cheaper model proven by an
                   eval sweep and applied, the next month's bill.
        simulate   Run the provider simulator alone (OpenAI and Anthropic wire formats,
                   deterministic answers, scripted faults), for your own tests.
        test       Run the test suite with the JDK the launcher found (./tokenwise test).
        help       Show this help.

      Options every command takes:
        --config FILE   The YAML config (default: ./tokenwise.yaml when it exists,
                        else built-in defaults with keys from OPENAI_API_KEY, ANTHROPIC_API_KEY, ...)
      """;

  static final String SERVE_HELP = """
      Usage: tokenwise serve [--config FILE] [--port N]

      Runs the gateway. --port overrides server.port. The config's policies reload when the file changes.
      """;

  static final String SIMULATE_HELP = """
      Usage: tokenwise simulate [--port N]

      Runs the provider simulator alone on port N (default 8788). See docs/simulator.md.
      """;

  static final String AUDIT_HELP = """
      Usage: tokenwise audit [--config FILE] [--since 30d] [--format md|html|json] [--out FILE] [--top 5]

      Reads the request log the config names (store.url) and writes the cost audit:
        --since D       the period audited, ending now (default 30d; e.g. 7d, 24h); it is compared
                        with the period of the same length before it
        --format F      md (default), html (with a spend-over-time chart) or json (every figure with
                        the query and row count behind it); from --out's extension when not given
        --out FILE      write the report to FILE instead of the terminal, and print a summary
        --top N         how many of the costliest patterns the findings cover (default 5)
      """;

  static final String APPLY_HELP = """
      Usage: tokenwise apply REC_ID [--config FILE] [--since 30d] [--top 5]
             tokenwise apply --all-safe [--config FILE] [--since 30d] [--top 5]

      Writes the policy of an audit recommendation (its id, e.g. cache-exact/faq-bot, as the audit
      lists it) into the config file, which a running 'tokenwise serve' reloads. --all-safe writes
      every recommendation that cannot change an answer. The rest of the file is kept as it is.
        --since D       the period of the audit the ids come from (default 30d)
        --top N         the patterns it covered (default 5): the same as the audit you read
      """;

  static final String DEMO_HELP = """
      Usage: tokenwise demo [--dir DIR]

      Starts the provider simulator and the gateway, replays a month of traffic from six call
      patterns, audits it, applies the safe recommendations, proves a cheaper model for the ticket
      classifier with an eval sweep and applies it, replays the next month and prints the
      bill of both months per pattern. No key, no network. Everything it writes (config, request log,
      reports) goes to DIR (default ./tokenwise-demo, emptied first), so that 'tokenwise audit
      --config DIR/tokenwise.yaml' can be run on it afterwards.
      """;

  /** Held so that the levels set on them are not lost with the loggers. */
  private static final List<java.util.logging.Logger> QUIET = new ArrayList<>();

  private Main() {}

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    configureLogging();
    if (args.length > 0 && args[0].equals("demo")) {
      // the demo's own lines and progress bar say what happens; the components' start-up lines would break them
      quiet("dev.tokenwise");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** One line per message; the libraries' start-up chatter only from warnings up. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    for (String name : new String[] {"io.helidon", "com.zaxxer.hikari", "org.sqlite", "ai.djl"}) {
      quiet(name);
    }
  }

  private static void quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    QUIET.add(logger);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    List<String> rest = List.of(args).subList(1, args.length);
    String help = switch (command) {
      case "serve" -> SERVE_HELP;
      case "simulate" -> SIMULATE_HELP;
      case "audit" -> AUDIT_HELP;
      case "apply" -> APPLY_HELP;
      case "demo" -> DEMO_HELP;
      case "eval" -> EvalCommand.HELP;
      default -> null;
    };
    if (help == null) {
      err.println("tokenwise: unknown command '" + command + "'; see 'tokenwise help'");
      return 2;
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(help);
      return 0;
    }
    try {
      Args a = switch (command) {
        case "serve" -> Args.parse(command, rest, Set.of("config", "port"), Set.of());
        case "simulate" -> Args.parse(command, rest, Set.of("port"), Set.of());
        case "audit" -> Args.parse(command, rest, Set.of("config", "since", "format", "out", "top"),
            Set.of());
        case "apply" -> Args.parse(command, rest, Set.of("config", "since", "top"), Set.of("all-safe"));
        case "eval" -> Args.parse(command, rest, EvalCommand.VALUED, EvalCommand.SWITCHES);
        default -> Args.parse(command, rest, Set.of("dir"), Set.of());
      };
      if (!command.equals("apply") && !a.positional.isEmpty()) {
        throw new IllegalArgumentException("unexpected argument '" + a.positional.get(0) + "' for " + command);
      }
      Integer port = a.option("port") == null ? null : number("--port", a.option("port"));
      return switch (command) {
        case "serve" -> serve(a.option("config"), port, out);
        case "simulate" -> simulate(port == null ? 8788 : port, out);
        case "audit" -> AuditCommands.audit(a, out, err);
        case "apply" -> AuditCommands.apply(a, out, err);
        case "eval" -> EvalCommand.run(a, out, err);
        default -> AuditCommands.demo(a, out, err);
      };
    } catch (IllegalArgumentException e) {
      err.println("tokenwise: " + e.getMessage());
      return 2;
    } catch (ConfigException e) {
      err.println("tokenwise: " + e.getMessage());
      return 2;
    }
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
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
