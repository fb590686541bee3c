package dev.tokenwise.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The price catalog: the bundled {@code prices.json} plus the config's overrides, immutable.
 *
 * <p>Lookup order for a (provider, model) pair: the exact row; then the same provider under the
 * model's alias or its id without a trailing snapshot date ({@code -2024-08-06}, {@code -20250514});
 * then, for a provider with no row (an OpenAI-compatible vendor configured under its own name), a row
 * with that model id under any provider, but only when exactly one exists, since two candidates
 * would mean guessing which vendor's price applies.
 */
public final class PriceTable {
  private static final String BUNDLED = "/prices.json";
  private static final Pattern DATE_SUFFIX = Pattern.compile("^(.+?)-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  private final Map<String, ModelPrice> rows;
  private final Map<String, String> aliases;
  /** Lookups already made: the table is immutable, and the same few models are priced on every call. */
  private final Map<String, Optional<ModelPrice>> found = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MEMO_ENTRIES = 4096;

  private PriceTable(Map<String, ModelPrice> rows, Map<String, String> aliases) {
    this.rows = rows;
    this.aliases = aliases;
  }

  /** The catalog shipped in the jar, parsed once. */
  public static PriceTable bundled() {
    return Bundled.TABLE;
  }

  /** This catalog with each override replacing the row of the same provider and model, or added. */
  public PriceTable withOverrides(List<Config.PriceOverride> overrides) {
    if (overrides == null || overrides.isEmpty()) {
      return this;
    }
    Map<String, ModelPrice> merged = new LinkedHashMap<>(rows);
    for (int i = 0; i < overrides.size(); i++) {
      Config.PriceOverride o = overrides.get(i);
      if (o == null || blank(o.provider()) || blank(o.model())) {
        throw new IllegalArgumentException(
            "prices[" + i + "] needs both provider and model; name the row it replaces or adds");
      }
      ModelPrice row = new ModelPrice(o.provider(), o.model(), o.input(), o.cachedInput(),
          o.cacheWrite5m(), o.cacheWrite1h(), o.output(), o.batchInput(), o.batchOutput());
      merged.put(key(row.provider(), row.model()), row);
    }
    return new PriceTable(Collections.unmodifiableMap(merged), aliases);
  }

  /** The price row for a model served by a provider, or empty when the catalog cannot price it. */
  public Optional<ModelPrice> find(String provider, String model) {
    if (blank(provider) || blank(model)) {
      return Optional.empty();
    }
    String memoKey = provider + '\u0000' + model;
    Optional<ModelPrice> known = found.get(memoKey);
    if (known == null) {
      known = lookUp(provider, model);
      if (found.size() >= MEMO_ENTRIES) {
        found.clear(); // a crude bound: a gateway sees few distinct models
      }
      found.put(memoKey, known);
    }
    return known;
  }

  private Optional<ModelPrice> lookUp(String provider, String model) {
    String p = provider.toLowerCase(Locale.ROOT);
    List<String> ids = candidateIds(model.toLowerCase(Locale.ROOT));
    for (String id : ids) {
      ModelPrice row = rows.get(key(p, id));
      if (row != null) {
        return Optional.of(row);
      }
    }
    for (String id : ids) {
      List<ModelPrice> elsewhere = rows.values().stream().filter(r -> r.model().equals(id)).toList();
      if (elsewhere.size() == 1) {
        return Optional.of(elsewhere.get(0));
      }
      if (elsewhere.size() > 1) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The cost of a call in picodollars, or empty when the model or its tier has no price. */
  public Optional<Long> picoUsd(String provider, String model, Usage usage, Tier tier) {
    return find(provider, model).flatMap(price -> Cost.picoUsd(usage, price, tier));
  }

  /** Every row, bundled and overridden, in catalog order. */
  public List<ModelPrice> all() {
    return List.copyOf(rows.values());
  }

  /** The id as given, its alias, its date-less base id and that base id's alias, without repeats. */
  private List<String> candidateIds(String model) {
    List<String> ids = new ArrayList<>(4);
    addIfNew(ids, model);
    addIfNew(ids, aliases.get(model));
    Matcher m = DATE_SUFFIX.matcher(model);
    if (m.matches()) {
      addIfNew(ids, m.group(1));
      addIfNew(ids, aliases.get(m.group(1)));
    }
    return ids;
  }

  private static void addIfNew(List<String> ids, String id) {
    if (id != null && !ids.contains(id)) {
      ids.add(id);
    }
  }

  private static String key(String provider, String model) {
    return provider + "\n" + model;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static PriceTable parse(JsonNode catalog) {
    JsonNode models = catalog.path("models");
    if (!models.isArray()) {
      throw new IllegalArgumentException("price catalog has no \"models\" array");
    }
    Map<String, ModelPrice> rows = new LinkedHashMap<>();
    for (JsonNode n : models) {
      ModelPrice row = new ModelPrice(Json.textAt(n, "provider"), Json.textAt(n, "model"),
          price(n, "input"), price(n, "cached_input"), price(n, "cache_write_5m"),
          price(n, "cache_write_1h"), price(n, "output"), price(n, "batch_input"),
          price(n, "batch_output"));
      if (rows.put(key(row.provider(), row.model()), row) != null) {
        throw new IllegalArgumentException(
            "price catalog lists " + row.provider() + "/" + row.model() + " twice");
      }
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    catalog.path("aliases").properties().forEach(e -> aliases.put(
        e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText().toLowerCase(Locale.ROOT)));
    return new PriceTable(Collections.unmodifiableMap(rows), Map.copyOf(aliases));
  }

  private static BigDecimal price(JsonNode row, String field) {
    JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException("price catalog field " + field + " of "
          + Json.textAt(row, "model") + " is not a number: " + n);
    }
    return n.decimalValue();
  }

  /** Holder so the bundled catalog is parsed on first use and shared afterwards. */
  private static final class Bundled {
    static final PriceTable TABLE = load();

    private static PriceTable load() {
      try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED + " is missing from the class path; rebuild the jar");
        }
        return parse(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("the bundled price catalog " + BUNDLED + " could not be read", e);
      }
    }
  }
}
