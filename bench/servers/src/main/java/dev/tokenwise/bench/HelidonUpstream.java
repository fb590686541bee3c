package dev.tokenwise.bench;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.net.URI;

/** Upstream calls through Helidon WebClient (HTTP/1.1, its own keep-alive connection cache). */
final class HelidonUpstream implements Upstream {

    private final WebClient client = WebClient.builder().build();
    private final URI uri;

    HelidonUpstream(URI uri) {
        this.uri = uri;
    }

    @Override
    public Answer post(byte[] json, String authorization) {
        HttpClientRequest req = client.post().uri(uri).contentType(MediaTypes.APPLICATION_JSON);
        if (authorization != null) {
            req.header(HeaderNames.AUTHORIZATION, authorization);
        }
        try (HttpClientResponse res = req.submit(json)) {
            return new Answer(res.status().code(), res.entity().as(byte[].class));
        }
    }

    @Override
    public void close() {
        client.closeResource();
    }
}
