package dev.tokenwise.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Upstream calls through {@code java.net.http.HttpClient}, HTTP/1.1, default executor. */
final class JdkUpstream implements Upstream {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI uri;

    JdkUpstream(URI uri) {
        this.uri = uri;
    }

    @Override
    public Answer post(byte[] json, String authorization) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (authorization != null) {
            req.header("authorization", authorization);
        }
        HttpResponse<byte[]> res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(res.statusCode(), res.body());
    }

    @Override
    public void close() {
        client.close();
    }
}
