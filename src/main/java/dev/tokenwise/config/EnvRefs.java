package dev.tokenwise.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar with environment values;
 * {@code $${} writes a literal {@code ${}. A variable that is set but empty counts as unset for
 * {@code :-}, as in the shell.
 */
final class EnvRefs {
  private static final Pattern REF =
      Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$\\{");

  private EnvRefs() {}

  /**
   * The outcome of substituting one scalar.
   *
   * @param text the substituted text (unset variables replaced by nothing)
   * @param unset names of referenced variables that are unset and have no default
   * @param malformed true when a {@code ${} is not a well-formed reference
   * @param onlyRef true when the whole scalar is exactly one reference
   */
  record Result(String text, List<String> unset, boolean malformed, boolean onlyRef) {}

  static Result substitute(String text, Map<String, String> env) {
    if (text.indexOf('$') < 0) {
      return new Result(text, List.of(), false, false);
    }
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    List<String> unset = new ArrayList<>();
    boolean malformed = false;
    int refs = 0;
    while (m.find()) {
      String whole = m.group();
      String replacement;
      if (whole.equals("$${")) {
        replacement = "${";
      } else if (m.group(1) == null) {
        malformed = true;
        replacement = whole;
      } else {
        refs++;
        String value = env.get(m.group(1));
        if (value != null && !value.isEmpty()) {
          replacement = value;
        } else if (m.group(2) != null) {
          replacement = m.group(2);
        } else if (value != null) {
          replacement = value;
        } else {
          unset.add(m.group(1));
          replacement = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    boolean onlyRef = refs == 1 && REF.matcher(text).matches();
    return new Result(out.toString(), List.copyOf(unset), malformed, onlyRef);
  }
}
