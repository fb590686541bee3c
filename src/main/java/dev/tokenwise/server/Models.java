package dev.tokenwise.server;

import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Pipeline;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;

/**
 * Model listing, passed to the provider of the client's dialect (an Anthropic client is told by its
 * {@code anthropic-version} header); one model goes to the provider that serves it.
 */
final class Models {
  private final Pipeline pipeline;
  private final Auth auth;
  private final Clock clock;

  Models(Pipeline pipeline, Auth auth, Clock clock) {
    this.pipeline = pipeline;
    this.auth = auth;
    this.clock = clock;
  }

  void list(ServerRequest req, ServerResponse res) {
    Dialect dialect = dialect(req);
    String model = dialect == Dialect.ANTHROPIC ? "claude-" : "gpt-";
    forward(req, res, dialect, model, dialect == Dialect.ANTHROPIC ? "/v1/models" : "/models", null);
  }

  void one(ServerRequest req, ServerResponse res) {
    Dialect dialect = dialect(req);
    String id = req.path().pathParameters().get("id");
    forward(req, res, dialect, id, dialect == Dialect.ANTHROPIC ? "/v1/models/" : "/models/", id);
  }

  /** Forwards to the provider of {@code model}; {@code id} is appended to the path when one model is asked. */
  private void forward(ServerRequest req, ServerResponse res, Dialect dialect, String model, String path,
      String id) {
    CallLog log = new CallLog("none", clock.instant(), System.nanoTime(), dialect.id(), path);
    log.costPicoUsd = 0L;
    log.baselinePicoUsd = 0L;
    try {
      Credentials c = auth.identify(ProxyHandler.header(req, "authorization"), ProxyHandler.header(req, "x-api-key"));
      var route = pipeline.resolve(model);
      log.provider = route.providerName();
      log.attempts = 1;
      Exchange ex = new Exchange("none", log.time, log.startNanos, dialect, path,
          dev.tokenwise.core.Json.object(), new byte[0], dev.tokenwise.core.LargeStrings.of(new byte[0], 1), c, ProxyHandler.passthrough(req), null);
      try (UpstreamReply reply = pipeline.get(route, id == null ? path : path + route.model(), ex)) {
        byte[] body = reply.body().readAllBytes();
        res.status(reply.status());
        Answer.upstreamHeaders(res, reply);
        Answer.identity(res, log);
        Answer.cost(res, 0L, 0L);
        res.send(body);
      }
    } catch (GatewayException e) {
      Answer.error(res, dialect, log, e);
    } catch (java.io.IOException e) {
      Answer.error(res, dialect, log, GatewayException.of(dev.tokenwise.core.ErrorKind.UPSTREAM_UNREACHABLE,
          (log.provider == null ? "provider" : log.provider) + ": the model list could not be read"));
    }
  }

  private static Dialect dialect(ServerRequest req) {
    return ProxyHandler.header(req, "anthropic-version") != null ? Dialect.ANTHROPIC : Dialect.OPENAI;
  }
}
