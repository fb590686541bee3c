package dev.tokenwise.audit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code tokenwise apply REC_ID | --all-safe}: writes the audit's recommendations into the config file.
 * Exit codes: 0 done (or already there), 1 nothing matched or refused, 2 bad input (arguments, or a
 * config file that does not load as it is).
 */
public final class ApplyCommand {
  /** Done, or nothing left to do. */
  public static final int OK = 0;
  /** No recommendation matched, or one was refused. */
  public static final int REFUSED = 1;
  /** The arguments or the config file are wrong. */
  public static final int BAD_INPUT = 2;

  private ApplyCommand() {}

  /**
   * Applies the recommendation {@code id}, or with {@code allSafe} every safe one not applied yet.
   *
   * @param configFile the config file; created when it does not exist
   * @param env the environment the file's {@code ${ENV}} references are read from
   * @param available the recommendations of the latest audit
   * @param facts a pattern's main model and provider, by pattern (null when unknown)
   * @param id the recommendation to apply, or null with {@code allSafe}
   * @param allSafe apply every recommendation that cannot change answers and is not blocked
   * @param out one line per change, and what was left out
   * @param err why something was not done
   * @return {@link #OK}, {@link #REFUSED} or {@link #BAD_INPUT}
   */
  public static int run(Path configFile, Map<String, String> env, List<Recommendation> available,
      Function<String, PatternFacts> facts, String id, boolean allSafe, PrintStream out, PrintStream err) {
    if ((id == null) == !allSafe) {
      err.println("apply: name one recommendation (tokenwise apply ID) or use --all-safe, not both");
      return BAD_INPUT;
    }
    ConfigEditor editor = new ConfigEditor(configFile, env);
    return allSafe ? allSafe(editor, configFile, available, facts, out, err)
        : one(editor, configFile, available, facts, id, out, err);
  }

  private static int one(ConfigEditor editor, Path file, List<Recommendation> available,
      Function<String, PatternFacts> facts, String id, PrintStream out, PrintStream err) {
    Recommendation rec = available.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    if (rec == null) {
      err.println("apply: the audit has no recommendation '" + id + "'; "
          + (available.isEmpty() ? "it has none at all (run tokenwise audit)"
              : "known: " + String.join(", ", available.stream().map(Recommendation::id).toList())));
      return REFUSED;
    }
    if (rec.blockedBy() != null) {
      err.println("apply: " + rec.id() + " is not applied: " + rec.blockedBy());
      return REFUSED;
    }
    PatternFacts f = factsOf(rec, facts);
    try {
      if (editor.applied(f, rec.key(), rec.value())) {
        out.println(rec.id() + " is already applied in " + file);
        return OK;
      }
      out.println("applied " + rec.id() + ": " + editor.apply(f, rec.key(), rec.value()));
    } catch (ConfigEditor.Refused e) {
      err.println("apply: " + rec.id() + " is not applied: " + e.getMessage());
      return e.badInput() ? BAD_INPUT : REFUSED;
    }
    if (rec.changesAnswers()) {
      out.println("  this tactic can change answers: watch the pattern's calls, or check it with tokenwise eval");
    }
    out.println(file + " written; a running tokenwise serve puts it in force within a second");
    return OK;
  }

  private static int allSafe(ConfigEditor editor, Path file, List<Recommendation> available,
      Function<String, PatternFacts> facts, PrintStream out, PrintStream err) {
    List<String> leftOut = new ArrayList<>();
    int written = 0;
    int already = 0;
    int safe = 0;
    boolean refused = false;
    for (Recommendation rec : available) {
      if (rec.blockedBy() != null) {
        leftOut.add(rec.id() + ": blocked: " + rec.blockedBy());
        continue;
      }
      if (rec.changesAnswers()) {
        leftOut.add(rec.id() + ": can change answers; apply it by its id once you trust it");
        continue;
      }
      safe++;
      PatternFacts f = factsOf(rec, facts);
      try {
        if (editor.applied(f, rec.key(), rec.value())) {
          already++;
          continue;
        }
        out.println("applied " + rec.id() + ": " + editor.apply(f, rec.key(), rec.value()));
        written++;
      } catch (ConfigEditor.Refused e) {
        err.println("apply: " + rec.id() + " is not applied: " + e.getMessage());
        if (e.badInput()) {
          return BAD_INPUT;
        }
        refused = true;
      }
    }
    if (safe == 0) {
      out.println("no recommendation is safe to apply on its own"
          + (available.isEmpty() ? " (the audit has none)" : ""));
    } else if (written == 0 && !refused) {
      out.println("every safe recommendation is already applied (" + already + ")");
    } else if (written > 0) {
      out.println(file + " written (" + written + (written == 1 ? " change" : " changes")
          + (already > 0 ? ", " + already + " already applied" : "")
          + "); a running tokenwise serve puts it in force within a second");
    }
    if (!leftOut.isEmpty()) {
      out.println("left out:");
      leftOut.forEach(l -> out.println("  " + l));
    }
    return refused || safe == 0 ? REFUSED : OK;
  }

  private static PatternFacts factsOf(Recommendation rec, Function<String, PatternFacts> facts) {
    PatternFacts f = facts.apply(rec.pattern());
    return f == null ? PatternFacts.of(rec.pattern()) : new PatternFacts(rec.pattern(), f.model(), f.provider());
  }
}
