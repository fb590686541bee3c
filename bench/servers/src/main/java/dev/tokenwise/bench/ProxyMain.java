package dev.tokenwise.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one candidate pass-through proxy: {@code --server helidon|jetty --client helidon|jetty|jdk
 * --port N --upstream URL}. Prints {@code ready <port>} once it accepts requests and runs until killed.
 */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String server = opts.getOrDefault("server", "helidon");
        String client = opts.getOrDefault("client", "jdk");
        int port = Integer.parseInt(opts.getOrDefault("port", "0"));
        String upstream = opts.get("upstream");
        if (upstream == null) {
            throw new IllegalArgumentException("--upstream URL is required, e.g. http://127.0.0.1:9000/v1");
        }
        URI chatUri = URI.create(upstream.replaceAll("/+$", "") + "/chat/completions");

        Upstream up = switch (client) {
            case "helidon" -> new HelidonUpstream(chatUri);
            case "jetty" -> new JettyUpstream(chatUri);
            case "jdk" -> new JdkUpstream(chatUri);
            default -> throw new IllegalArgumentException("--client must be helidon, jetty or jdk, not " + client);
        };
        Relay relay = new Relay(up, server + "+" + client);
        Front front = switch (server) {
            case "helidon" -> new HelidonFront(relay);
            case "jetty" -> new JettyFront(relay);
            default -> throw new IllegalArgumentException("--server must be helidon or jetty, not " + server);
        };

        int bound = front.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            front.stop();
            up.close();
            stopped.countDown();
        }, "proxy-shutdown"));
        System.out.println("ready " + bound + " " + server + "+" + client + " -> " + chatUri);
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + a);
            }
            opts.put(a.substring(2), args[++i]);
        }
        return opts;
    }

    /** The inbound HTTP server of a variant. */
    interface Front {
        /** Starts listening on 127.0.0.1 and returns the bound port. */
        int start(int port) throws Exception;

        void stop();
    }
}
