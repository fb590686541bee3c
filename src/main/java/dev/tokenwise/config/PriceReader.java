package dev.tokenwise.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code prices}: rows of USD per 1M tokens that replace or add to the bundled catalog. */
final class PriceReader {
  private static final List<String> KEYS = List.of("provider", "model", "input", "cached_input",
      "cache_write_5m", "cache_write_1h", "output", "batch_input", "batch_output");

  private final Problems problems;
  private final Set<String> providers;

  PriceReader(Problems problems, Set<String> providers) {
    this.problems = problems;
    this.providers = providers;
  }

  List<Config.PriceOverride> read(Section root) {
    List<Config.PriceOverride> out = new ArrayList<>();
    int index = 0;
    for (Node item : root.items("prices")) {
      Section s = Section.of("prices[" + index++ + "]", item, problems, root.env());
      s.allowOnly(KEYS);
      String provider = s.text("provider");
      String model = s.text("model");
      if (provider == null && !s.has("provider")) {
        problems.error(s.line(), s.path() + " needs a provider");
      } else if (provider != null && !providers.contains(provider)) {
        s.error("provider", ConfigReader.unknownProvider(s.child("provider"), provider, providers));
        provider = null;
      }
      if (model == null && !s.has("model")) {
        problems.error(s.line(), s.path() + " needs a model");
      }
      BigDecimal input = s.decimal("input");
      BigDecimal cachedInput = s.decimal("cached_input");
      BigDecimal cacheWrite5m = s.decimal("cache_write_5m");
      BigDecimal cacheWrite1h = s.decimal("cache_write_1h");
      BigDecimal output = s.decimal("output");
      BigDecimal batchInput = s.decimal("batch_input");
      BigDecimal batchOutput = s.decimal("batch_output");
      if (provider != null && model != null) {
        out.add(new Config.PriceOverride(provider, model, input, cachedInput, cacheWrite5m, cacheWrite1h, output,
            batchInput, batchOutput));
      }
    }
    return Collections.unmodifiableList(out);
  }
}
