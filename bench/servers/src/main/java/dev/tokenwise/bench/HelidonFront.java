package dev.tokenwise.bench;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.util.Map;

/** Helidon SE webserver: one virtual thread per request by design, blocking handler code. */
final class HelidonFront implements ProxyMain.Front {

    private final Relay relay;
    private WebServer server;

    HelidonFront(Relay relay) {
        this.relay = relay;
    }

    @Override
    public int start(int port) {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
                    byte[] body = req.content().as(byte[].class);
                    String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
                    Relay.Reply reply = relay.handle(body, auth);
                    res.status(Status.create(reply.status()));
                    res.header(HeaderValues.CONTENT_TYPE_JSON);
                    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                        res.header(HeaderNames.create(h.getKey()), h.getValue());
                    }
                    res.send(reply.body());
                }))
                .build()
                .start();
        return server.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
