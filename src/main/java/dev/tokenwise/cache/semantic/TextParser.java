package dev.tokenwise.cache.semantic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a question into the parts the lexical gate compares ({@link Parsed}). Two passes: the text
 * is cut into items (words with contractions expanded, numbers with their units, identifiers), then
 * the items are read in order, where a word's neighbours decide what it is ("how long" asks a
 * duration, "May" by a number is a month, "next week" is one date).
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
  private static final Set<String> DETERMINERS = Set.of("the", "a", "an", "my", "your", "our", "their", "his", "her",
      "this", "that", "these", "those", "some", "any");
  private static final Set<String> FUTURE = Set.of("will", "shall");
  private static final Set<String> PAST = Set.of("did", "was", "were", "had");
  private static final Set<String> HAVE = Set.of("have", "has", "had");
  private static final Set<String> GET = Set.of("get", "gets", "got", "getting", "gotten");
  private static final Set<String> AUXILIARIES = Set.of("is", "are", "am", "was", "were", "be", "do", "does", "did",
      "have", "has", "had", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "not");

  private TextParser() {
  }

  private enum Kind { WORD, NUM, UNIT, ID, ARROW }

  /** One cut-out piece of the text; {@code text} is lower-cased except for numbers' values. */
  private record Item(Kind kind, String text, boolean capital, boolean allCaps, boolean sentenceStart,
      boolean clauseEnd) {
  }

  static Parsed parse(String text) {
    String t = text.replace('’', '\'').replace('‘', '\'').replace('“', '"').replace('”', '"');
    boolean shouting = t.chars().noneMatch(Character::isLowerCase);
    Set<String> tokens = new HashSet<>();
    List<Item> items = cut(t, shouting, tokens);
    return new Reader(items, tokens).read();
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

  /** The second pass: reads the items in order into a {@link Parsed}. */
  private static final class Reader {
    private final List<Item> items;
    private final Set<String> tokens;
    private final List<String> ids = new ArrayList<>();
    private final List<String> numbers = new ArrayList<>();
    private final Set<String> units = new LinkedHashSet<>();
    private final Set<String> dates = new LinkedHashSet<>();
    private final List<String> negators = new ArrayList<>();
    private final Set<String> asks = new LinkedHashSet<>();
    private final Set<String> words = new LinkedHashSet<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> surface = new HashMap<>();
    private final List<String> sequence = new ArrayList<>();
    private final List<String> anchors = new ArrayList<>();
    private final List<Integer> anchorPositions = new ArrayList<>();
    private final List<Integer> markers = new ArrayList<>();
    private final List<String> markerWords = new ArrayList<>();
    private boolean clauseHasContent;
    private int froms;
    private boolean obligation;
    private boolean past;
    private boolean future;

    Reader(List<Item> items, Set<String> tokens) {
      this.items = items;
      this.tokens = tokens;
    }

    Parsed read() {
      for (int i = 0; i < items.size(); ) {
        int anchorsBefore = anchors.size();
        int next = readAt(i);
        if (anchors.size() == anchorsBefore) {
          for (int k = i; k < next; k++) {
            sequence.add(items.get(k).text());
          }
        }
        if (items.get(next - 1).clauseEnd()) {
          clauseHasContent = false;
        }
        i = next;
      }
      numbers.sort(null);
      return new Parsed(List.copyOf(ids), Set.copyOf(tokens), List.copyOf(numbers), units, dates,
          List.copyOf(negators), asks, froms, obligation, past == future ? null : past ? "past" : "future", words, names, surface, List.copyOf(sequence), List.copyOf(anchors),
          List.copyOf(anchorPositions), List.copyOf(markers),
          List.copyOf(markerWords));
    }

    /** Reads the item at {@code i} (and any it takes with it); returns the index of the next one. */
    private int readAt(int i) {
      Item it = items.get(i);
      switch (it.kind()) {
        case NUM -> {
          numbers.add(it.text());
          anchor(it.text());
          return i + 1;
        }
        case UNIT -> {
          units.add(it.text());
          anchor(it.text());
          return i + 1;
        }
        case ID -> {
          ids.add(it.text());
          anchor(it.text());
          return i + 1;
        }
        case ARROW -> {
          marker("to");
          return i + 1;
        }
        default -> {
          return readWord(i, it);
        }
      }
    }

    private int readWord(int i, Item it) {
      String w = it.text();
      String next = word(i + 1);
      Long value = Lexicon.NUMBER_WORDS.get(w);
      if (value != null) {
        return readNumberWords(i);
      }
      if (w.equals("how") && next != null) {
        if (Lexicon.HOW_WORDS.containsKey(next)) {
          asks.add(Lexicon.HOW_WORDS.get(next));
          return i + 2;
        }
        if (next.equals("much")) {
          // "how much is it" asks a price, "how much storage" a quantity
          String after = word(i + 2);
          boolean price = after == null ? i + 2 >= items.size() : Lexicon.HOW_MUCH_VERBS.contains(after);
          asks.add(price ? "cost" : "quantity");
          return i + 2;
        }
      }
      if (w.equals("what") && "time".equals(next) && (word(i + 2) == null || Lexicon.LIGHT.contains(word(i + 2)))) {
        asks.add("when"); // but not "what time zone"
        return i + 2;
      }
      if (Lexicon.QUESTION_WORDS.containsKey(w)) {
        if (opensQuestion(i, w)) {
          asks.add(Lexicon.QUESTION_WORDS.get(w));
        }
        return i + 1;
      }
      if (Lexicon.ASK_WORDS.containsKey(w)) {
        asks.add(Lexicon.ASK_WORDS.get(w));
        clauseHasContent = true;
        return i + 1;
      }
      if (Lexicon.NEGATORS.contains(w)) {
        negators.add(w);
        return i + 1;
      }
      if (Lexicon.DATE_QUALIFIERS.contains(w) && next != null && (isDate(i + 1) || isTimeUnit(next))) {
        String d = w + " " + (isDate(i + 1) ? Lexicon.DATES.get(next) : Lexicon.UNITS.get(next));
        dates.add(d);
        anchor(d);
        return i + 2;
      }
      if (isDate(i)) {
        dates.add(Lexicon.DATES.get(w));
        anchor(Lexicon.DATES.get(w));
        return i + 1;
      }
      if (Lexicon.UNITS.containsKey(w) && (!Lexicon.SHORT_UNITS.contains(w) || kindAt(i - 1) == Kind.NUM)) {
        units.add(Lexicon.UNITS.get(w));
        anchor(Lexicon.UNITS.get(w));
        return i + 1;
      }
      if (w.equals("going") && "to".equals(next) && word(i + 2) != null && !DETERMINERS.contains(word(i + 2))) {
        future = true;
        return i + 2; // "is going to arrive" is "will arrive"; "going to the airport" stays
      }
      if (FUTURE.contains(w)) {
        future = true;
      } else if (PAST.contains(w)) {
        past = true;
      }
      if (w.equals("must") || w.equals("ought") || HAVE.contains(w) && "to".equals(next)) {
        obligation = true;
      }
      if (w.equals("from") && !"home".equals(next)) {
        froms++;
      }
      if (GET.contains(w) && next != null && next.endsWith("ed")) {
        return i + 1; // "did my card get declined" is "was my card declined"
      }
      if ((w.equals("work") || w.equals("working") || w.equals("worked")) && "out".equals(next)) {
        content(Stems.canonical("exercise"), "work out", it);
        return i + 2;
      }
      if (w.equals("from") && "home".equals(next)) {
        content(Stems.canonical("remote"), "from home", it);
        return i + 2;
      }
      if (Lexicon.MARKERS.contains(w)) {
        marker(w);
      }
      if (Lexicon.LIGHT.contains(w) && !it.allCaps()) {
        return i + 1;
      }
      content(Stems.canonical(w), w, it);
      return i + 1;
    }

    /** Twenty five, two hundred, a dozen: one number. */
    private int readNumberWords(int i) {
      long total = 0;
      long current = 0;
      int j = i;
      for (String w = word(j); w != null && Lexicon.NUMBER_WORDS.containsKey(w); w = word(++j)) {
        long v = Lexicon.NUMBER_WORDS.get(w);
        if (v == 100 || v == 12 && w.equals("dozen")) {
          current = Math.max(current, 1) * v;
        } else if (v >= 1000) {
          total += Math.max(current, 1) * v;
          current = 0;
        } else {
          current += v;
        }
        if (items.get(j).clauseEnd()) {
          j++;
          break;
        }
      }
      String n = Long.toString(total + current);
      numbers.add(n);
      anchor(n);
      return j;
    }

    /**
     * Whether a wh-word asks: it opens its clause and, for when, where and why, an auxiliary follows
     * ("when does", "where can"); "when I ship a package, ..." is a condition, not a question.
     */
    private boolean opensQuestion(int i, String w) {
      if (clauseHasContent) {
        return false;
      }
      if (!w.equals("when") && !w.equals("where") && !w.equals("why")) {
        return true;
      }
      String next = word(i + 1);
      return next == null ? i + 1 >= items.size() : AUXILIARIES.contains(next);
    }

    private boolean isDate(int i) {
      String w = word(i);
      if (w == null || !Lexicon.DATES.containsKey(w)) {
        return false;
      }
      if (w.equals("may") || w.equals("march")) {
        Item it = items.get(i);
        return it.capital() && !it.sentenceStart() || kindAt(i - 1) == Kind.NUM || kindAt(i + 1) == Kind.NUM;
      }
      return true;
    }

    private static boolean isTimeUnit(String w) {
      String u = Lexicon.UNITS.get(w);
      return u != null && Set.of("day", "week", "month", "year").contains(u);
    }

    private void content(String stem, String typed, Item it) {
      words.add(stem);
      boolean capital = it.capital() && !it.sentenceStart() && !typed.contains(" ");
      surface.putIfAbsent(stem, capital ? Character.toUpperCase(typed.charAt(0)) + typed.substring(1) : typed);
      if ((it.capital() && !it.sentenceStart()) || it.allCaps()) {
        names.add(stem);
      }
      anchor(stem);
    }

    private void anchor(String a) {
      anchorPositions.add(sequence.size());
      sequence.add(a);
      anchors.add(a);
      clauseHasContent = true;
    }

    private void marker(String w) {
      markers.add(anchors.size());
      markerWords.add(w);
    }

    private String word(int i) {
      return i >= 0 && i < items.size() && items.get(i).kind() == Kind.WORD ? items.get(i).text() : null;
    }

    private Kind kindAt(int i) {
      return i >= 0 && i < items.size() ? items.get(i).kind() : null;
    }
  }
}
