package dev.tokenwise.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.cache.semantic.Embedder;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import dev.tokenwise.core.Json;
import dev.tokenwise.eval.EvalCase;
import dev.tokenwise.eval.ModelClient;
import dev.tokenwise.eval.Score;
import dev.tokenwise.eval.Scorer;
import dev.tokenwise.eval.Scorers;
import dev.tokenwise.server.InternalCalls;
import dev.tokenwise.server.ShadowCopy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores shadow pairs with the eval scorers: the candidate's answer against the production answer as the
 * reference, given the conversation. The policy's {@code scorer}, or else one chosen from the shadow's
 * production answers ({@link Scorers#suggest}), again with each pair until {@link #SUGGEST_FROM} are in,
 * then kept. A judge is called as the copy's client would call it; a bare {@code judge} is the model the
 * client asked for.
 */
final class EvalScoring implements PairScoring, AutoCloseable {
  /** Production answers the default scorer is chosen from, after which the choice stays. */
  static final int SUGGEST_FROM = 5;

  private final Embedder shared;
  private volatile Embedder own;
  private final Map<String, Choice> choices = new ConcurrentHashMap<>();

  /** One shadow's default scorer: the answers seen so far, then the choice. Guarded by itself. */
  private static final class Choice {
    final List<String> references = new ArrayList<>(SUGGEST_FROM);
    String fixed;
  }

  /**
   * @param shared the semantic cache's in-process model, to be used by the similarity scorer too; null to
   *     load one of its own when first needed
   */
  EvalScoring(Embedder shared) {
    this.shared = shared;
  }

  @Override
  public Verdict score(ShadowCopy c) {
    String spec = c.settings().scorer() != null ? c.settings().scorer() : suggested(c);
    ModelClient judge = (model, body) -> judge(c, model, body);
    Scorer scorer = Scorers.parse(spec, c.requestedModel(), judge, this::embedder);
    Score s = scorer.score(new EvalCase(c.requestId(), c.input(), c.productionText(), null), c.candidateText());
    if (s.detail().containsKey("judge_failed") || s.detail().containsKey("refused")) {
      return new Verdict(null, null, scorer.name(), s.note(), s.costPicoUsd()); // no verdict on the candidate
    }
    return new Verdict(s.value(), s.pass(), scorer.name(), s.note(), s.costPicoUsd());
  }

  /** The default scorer of the copy's shadow, from its production answers so far. */
  String suggested(ShadowCopy c) {
    Choice choice = choices.computeIfAbsent(c.pattern() + '\u0000' + c.candidateModel(), k -> new Choice());
    synchronized (choice) {
      if (choice.fixed != null) {
        return choice.fixed;
      }
      choice.references.add(c.productionText());
      String spec = Scorers.suggest(choice.references);
      if (choice.references.size() >= SUGGEST_FROM) {
        choice.fixed = spec;
        choice.references.clear();
      }
      return spec;
    }
  }

  /** A judge's call through the gateway, as the copy's client; the text of its answer. */
  private static ModelClient.Reply judge(ShadowCopy c, String model, ObjectNode body) {
    body.put("model", model);
    InternalCalls.Reply r = c.caller().chat(model, Json.bytes(body));
    return ModelClient.Reply.ofOpenAiAnswer(r.status(), r.body(), r.costPicoUsd(), r.latencyMillis(), r.error());
  }

  /** The similarity scorer's model: the semantic cache's, else one of its own, loaded once. */
  private synchronized Embedder embedder() {
    if (shared != null) {
      return shared;
    }
    if (own == null) {
      own = new MiniLmEmbedder();
    }
    return own;
  }

  /** Releases the model it loaded for itself, if any. */
  @Override
  public synchronized void close() {
    if (own != null) {
      own.close();
      own = null;
    }
  }
}
