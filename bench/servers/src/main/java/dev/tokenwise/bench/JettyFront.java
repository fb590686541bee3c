package dev.tokenwise.bench;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 core handler (no servlets). The handler is blocking, so Jetty runs it on a virtual
 * thread from the pool's virtual-threads executor; selectors stay on platform threads.
 */
final class JettyFront implements ProxyMain.Front {

    private final Relay relay;
    private Server server;

    JettyFront(Relay relay) {
        this.relay = relay;
    }

    @Override
    public int start(int port) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("jetty");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("jetty-v-", 0).factory()));
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new ChatHandler(relay));
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            // Shutting down; nothing useful to do with it.
        }
    }

    private static final class ChatHandler extends Handler.Abstract {
        private final Relay relay;

        ChatHandler(Relay relay) {
            super(InvocationType.BLOCKING);
            this.relay = relay;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!"POST".equals(request.getMethod())
                    || !"/v1/chat/completions".equals(request.getHttpURI().getPath())) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            Relay.Reply reply = relay.handle(body, request.getHeaders().get(HttpHeader.AUTHORIZATION));
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                response.getHeaders().put(h.getKey(), h.getValue());
            }
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
            return true;
        }
    }
}
