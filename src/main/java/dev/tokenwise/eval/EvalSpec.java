package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep's settings as stored with its run: the models in the order they are tried (the current one
 * first), the scorer, the bar, and where the set came from. Two sweeps with equal settings are the same
 * sweep: an unfinished one is resumed rather than paid for again.
 *
 * @param models the current model, then the candidates
 * @param threshold the share of items a model must pass, in (0, 1]
 * @param source {@code log: the newest N answered calls} or {@code set: FILE}
 * @param monthlyCalls the pattern's calls in the last 30 days when the sweep started
 */
public record EvalSpec(String pattern, List<String> models, String scorer, double threshold, int sample,
    int fromLast, long budgetPicoUsd, String source, long monthlyCalls) {

  /** The settings as JSON text, as {@code eval_runs.spec} keeps them. */
  public String toJson() {
    ObjectNode o = Json.object();
    o.put("pattern", pattern);
    ArrayNode a = o.putArray("models");
    models.forEach(a::add);
    o.put("scorer", scorer);
    o.put("threshold", threshold);
    o.put("sample", sample);
    o.put("from_last", fromLast);
    o.put("budget_pico_usd", budgetPicoUsd);
    o.put("source", source);
    o.put("monthly_calls", monthlyCalls);
    return Json.string(o);
  }

  /** Reads {@link #toJson()}'s text back. */
  public static EvalSpec parse(String json) {
    JsonNode o = Json.tryParse(json.getBytes(StandardCharsets.UTF_8));
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("an eval run's settings are not a JSON object");
    }
    List<String> models = new ArrayList<>();
    o.path("models").forEach(m -> models.add(m.asText()));
    return new EvalSpec(o.path("pattern").asText(), List.copyOf(models), o.path("scorer").asText(),
        o.path("threshold").asDouble(), o.path("sample").asInt(), o.path("from_last").asInt(),
        o.path("budget_pico_usd").asLong(), o.path("source").asText(), o.path("monthly_calls").asLong());
  }

  /** Whether a stored run was made with the same settings (its budget and volume aside). */
  public boolean sameSweep(EvalSpec other) {
    return pattern.equals(other.pattern) && models.equals(other.models) && scorer.equals(other.scorer)
        && threshold == other.threshold && sample == other.sample && fromLast == other.fromLast
        && source.equals(other.source);
  }

  /** The figures of a stored run. */
  public static EvalSummary summary(dev.tokenwise.store.EvalTable table, dev.tokenwise.store.EvalTable.Run run) {
    EvalSpec spec = parse(run.spec());
    return EvalSummary.of(run, table.items(run.id()), table.results(run.id()), spec.models(), spec.scorer(),
        spec.threshold(), spec.monthlyCalls());
  }
}
