package dev.tokenwise.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

/** Upstream calls through Jetty's HttpClient, used blocking from the caller's (virtual) thread. */
final class JettyUpstream implements Upstream {

    private final HttpClient client = new HttpClient();
    private final URI uri;

    JettyUpstream(URI uri) throws Exception {
        this.uri = uri;
        // The default (64 per destination) would queue requests under heavier load than the bench uses.
        client.setMaxConnectionsPerDestination(256);
        client.start();
    }

    @Override
    public Answer post(byte[] json, String authorization) throws Exception {
        Request req = client.POST(uri)
                .body(new BytesRequestContent("application/json", json))
                .timeout(30, TimeUnit.SECONDS);
        if (authorization != null) {
            req.headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization));
        }
        ContentResponse res = req.send();
        return new Answer(res.getStatus(), res.getContent());
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // Shutting down; nothing useful to do with it.
        }
    }
}
