package dev.tokenwise.cache.semantic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a question into the parts the lexical gate compares ({@link Parsed}). Two passes: this class
 * cuts the text into items (words with contractions expanded, numbers with their units,
 * identifiers), then {@link ItemReader} reads the items in order.
 */
final class TextParser {
  private static final Pattern CHUNK = Pattern.compile(
      "(?i)(?:https?://|www\\.)\\S+|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+|\\S+");
  private static final Pattern URL_OR_EMAIL = Pattern.compile("(?i)^(?:https?://|www\\.|[\\w.+-]+@).*");
  private static final Pattern NUMBER = Pattern.compile("([$€£¥])?(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(%)?");
  private static final Pattern NUMBER_UNIT = Pattern.compile("([$€£¥])?(\\d+(?:\\.\\d+)?)-?([a-z%°]+)\\.?");
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z]+\\.[A-Za-z]+.*");
  private static final Pattern CAMEL = Pattern.compile(".*[a-z][A-Z].*");
  private static final String LEADING = "(\"'[{*<«";
  private static final String TRAILING = ".,!?;:)\"']}*>»";
  private static final Set<String> IS_AFTER = Set.of(
      "what", "where", "who", "how", "when", "why", "it", "that", "there", "here", "he", "she");
  private static final Map<String, String> BARE_CONTRACTIONS = Map.ofEntries(
      Map.entry("whats", "what is"), Map.entry("wheres", "where is"), Map.entry("whos", "who is"),
      Map.entry("hows", "how is"), Map.entry("thats", "that is"), Map.entry("dont", "do not"),
      Map.entry("doesnt", "does not"), Map.entry("didnt", "did not"), Map.entry("isnt", "is not"),
      Map.entry("arent", "are not"), Map.entry("wasnt", "was not"), Map.entry("werent", "were not"),
      Map.entry("cant", "can not"), Map.entry("cannot", "can not"), Map.entry("wont", "will not"),
      Map.entry("wouldnt", "would not"), Map.entry("shouldnt", "should not"), Map.entry("couldnt", "could not"),
      Map.entry("havent", "have not"), Map.entry("hasnt", "has not"), Map.entry("hadnt", "had not"),
      Map.entry("im", "i am"), Map.entry("ive", "i have"));

  private TextParser() {
  }

  enum Kind { WORD, NUM, UNIT, ID, ARROW }

  /** One cut-out piece of the text; {@code text} is lower-cased except for numbers' values. */
  record Item(Kind kind, String text, boolean capital, boolean allCaps, boolean sentenceStart,
      boolean clauseEnd) {
  }

  static Parsed parse(String text) {
    String t = text.replace('’', '\'').replace('‘', '\'').replace('“', '"').replace('”', '"');
    boolean shouting = t.chars().noneMatch(Character::isLowerCase);
    Set<String> tokens = new HashSet<>();
    List<Item> items = cut(t, shouting, tokens);
    return new ItemReader(items, tokens).read();
  }

  private static List<Item> cut(String t, boolean shouting, Set<String> tokens) {
    List<Item> items = new ArrayList<>();
    boolean sentenceStart = true;
    Matcher m = CHUNK.matcher(t);
    while (m.find()) {
      String chunk = m.group();
      int end = chunk.length();
      while (end > 0 && TRAILING.indexOf(chunk.charAt(end - 1)) >= 0) {
        end--;
      }
      String tail = chunk.substring(end);
      boolean clauseEnd = !tail.isEmpty() && tail.chars().anyMatch(c -> ".,!?;:".indexOf(c) >= 0);
      boolean sentenceEnd = tail.chars().anyMatch(c -> ".!?".indexOf(c) >= 0);
      int start = 0;
      while (start < end && LEADING.indexOf(chunk.charAt(start)) >= 0) {
        start++;
      }
      String core = chunk.substring(start, end);
      int before = items.size();
      if (!core.isEmpty()) {
        tokens.add(core.toLowerCase(Locale.ROOT));
        cutOne(core, shouting, sentenceStart, items);
      }
      if (items.size() > before) {
        sentenceStart = false;
        if (clauseEnd) {
          Item last = items.remove(items.size() - 1);
          items.add(new Item(last.kind(), last.text(), last.capital(), last.allCaps(), last.sentenceStart(), true));
        }
      }
      if (sentenceEnd) {
        sentenceStart = true;
      }
    }
    return items;
  }

  private static void cutOne(String core, boolean shouting, boolean sentenceStart, List<Item> items) {
    String lower = core.toLowerCase(Locale.ROOT);
    if (core.equals("->") || core.equals("→") || core.equals(">") || core.equals("<")) {
      items.add(new Item(Kind.ARROW, core, false, false, false, false));
      return;
    }
    if (URL_OR_EMAIL.matcher(core).matches() && (core.contains("@") || core.contains("."))) {
      items.add(new Item(Kind.ID, lower, false, false, false, false));
      return;
    }
    Matcher n = NUMBER.matcher(core);
    if (n.matches()) {
      items.add(new Item(Kind.NUM, number(n.group(2) + (n.group(3) == null ? "" : n.group(3))), false, false,
          false, false));
      String unit = n.group(1) != null ? n.group(1) : n.group(4);
      if (unit != null) {
        items.add(new Item(Kind.UNIT, Lexicon.UNITS.get(unit), false, false, false, false));
      }
      return;
    }
    Matcher nu = NUMBER_UNIT.matcher(lower);
    if (nu.matches() && Lexicon.UNITS.containsKey(nu.group(3))) {
      if (nu.group(1) != null) {
        items.add(new Item(Kind.UNIT, Lexicon.UNITS.get(nu.group(1)), false, false, false, false));
      }
      items.add(new Item(Kind.NUM, number(nu.group(2)), false, false, false, false));
      items.add(new Item(Kind.UNIT, Lexicon.UNITS.get(nu.group(3)), false, false, false, false));
      return;
    }
    if (lower.chars().anyMatch(Character::isDigit) || looksLikeIdentifier(core)) {
      items.add(new Item(Kind.ID, lower, false, false, false, false));
      return;
    }
    boolean capital = !shouting && Character.isUpperCase(core.charAt(0));
    boolean allCaps = !shouting && core.length() >= 2 && core.chars().allMatch(c -> !Character.isLowerCase(c));
    boolean first = sentenceStart;
    for (String piece : expand(lower)) {
      String joined = piece.replaceAll("(?<=\\p{L})-(?=\\p{L})", "");
      for (String w : joined.split("[^\\p{L}]+")) {
        if (!w.isEmpty()) {
          items.add(new Item(Kind.WORD, w, capital, allCaps, first, false));
          capital = false;
          allCaps = false;
          first = false;
        }
      }
    }
  }

  private static boolean looksLikeIdentifier(String core) {
    return core.indexOf('_') >= 0 || core.indexOf('@') >= 0 || core.indexOf('/') >= 0 || core.indexOf('\\') >= 0
        || core.startsWith("#") || DOTTED.matcher(core).matches() || CAMEL.matcher(core).matches();
  }

  /** Splits contractions: doesn't to does not, what's to what is, Anna's to anna. */
  private static List<String> expand(String w) {
    String bare = BARE_CONTRACTIONS.get(w);
    if (bare != null) {
      return List.of(bare.split(" "));
    }
    int apo = w.indexOf('\'');
    if (apo < 0) {
      return List.of(w);
    }
    String base = w.substring(0, apo);
    String rest = w.substring(apo + 1);
    switch (w) {
      case "won't": return List.of("will", "not");
      case "can't": return List.of("can", "not");
      case "shan't": return List.of("shall", "not");
      default: break;
    }
    if (rest.equals("t") && base.endsWith("n")) {
      return List.of(base.substring(0, base.length() - 1), "not");
    }
    return switch (rest) {
      case "s" -> IS_AFTER.contains(base) ? List.of(base, "is") : List.of(base);
      case "re" -> List.of(base, "are");
      case "ve" -> List.of(base, "have");
      case "ll" -> List.of(base, "will");
      case "m" -> List.of(base, "am");
      case "d" -> List.of(base, "would");
      default -> List.of(base, rest);
    };
  }

  static String number(String digits) {
    return new BigDecimal(digits.replace(",", "")).stripTrailingZeros().toPlainString();
  }
}
