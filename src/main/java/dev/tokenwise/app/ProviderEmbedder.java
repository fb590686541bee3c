package dev.tokenwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.cache.SemanticSearch;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.Route;
import java.io.IOException;
import java.util.Map;

/**
 * Embeddings from a provider's OpenAI-style {@code /embeddings} endpoint ({@code cache.embeddings:
 * PROVIDER/MODEL}), with the gateway's key for that provider or else the caller's. Each one is a paid
 * call: its tokens are billed to the call that needed it.
 */
final class ProviderEmbedder {
  private static final int MAX_ANSWER = 4 << 20;
  private final Providers providers;
  private final Route route;
  private final String name;

  ProviderEmbedder(Providers providers, String providerSlashModel) {
    this.providers = providers;
    this.route = providers.resolve(providerSlashModel);
    this.name = providerSlashModel;
  }

  String name() {
    return name;
  }

  SemanticSearch.Embedding embed(String text, Credentials caller) {
    var body = Json.object().put("model", route.model()).put("input", text);
    try (UpstreamReply reply = providers.call(route, "/embeddings", Json.bytes(body), caller, Map.of(), false)) {
      byte[] bytes = reply.readAll(MAX_ANSWER);
      JsonNode answer = Json.tryParse(bytes);
      JsonNode values = answer == null ? null : answer.path("data").path(0).path("embedding");
      if (reply.status() != 200 || values == null || !values.isArray() || values.isEmpty()) {
        throw GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, name + ": the embeddings endpoint answered HTTP "
            + reply.status() + " without an embedding");
      }
      float[] v = new float[values.size()];
      double norm = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) values.get(i).asDouble();
        norm += v[i] * (double) v[i];
      }
      float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
      long tokens = answer.path("usage").path("prompt_tokens").asLong(0);
      return new SemanticSearch.Embedding(v, route.providerName(), route.model(), tokens);
    } catch (IOException e) {
      throw GatewayException.of(ErrorKind.UPSTREAM_BAD_RESPONSE, name + ": the embedding broke off before its end");
    }
  }
}
