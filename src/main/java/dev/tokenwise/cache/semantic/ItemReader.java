package dev.tokenwise.cache.semantic;

import dev.tokenwise.cache.semantic.TextParser.Item;
import dev.tokenwise.cache.semantic.TextParser.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parser's second pass: reads the cut-out items in order into a {@link Parsed}, where a word's
 * neighbours decide what it is ("how long" asks a duration, "May" by a number is a month, "next week"
 * is one date, "is going to" is the future).
 */
final class ItemReader {
  private static final Set<String> DETERMINERS = Set.of("the", "a", "an", "my", "your", "our", "their", "his", "her",
      "this", "that", "these", "those", "some", "any");
  private static final Set<String> GET = Set.of("get", "gets", "got", "getting", "gotten");
  private static final Set<String> AUXILIARIES = Set.of("is", "are", "am", "was", "were", "be", "do", "does", "did",
      "have", "has", "had", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "not");
  private static final Set<String> FUTURE = Set.of("will", "shall");
  private static final Set<String> PAST = Set.of("did", "was", "were", "had");
  private static final Set<String> HAVE = Set.of("have", "has", "had");

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

  ItemReader(List<Item> items, Set<String> tokens) {
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
