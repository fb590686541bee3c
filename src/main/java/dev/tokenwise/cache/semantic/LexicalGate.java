package dev.tokenwise.cache.semantic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The second opinion on a semantic match. An embedding scores "from Paris to Lyon" and "from Lyon to
 * Paris" at 0.99, and so it does for a changed number, unit, date, order id or a dropped "not": a
 * threshold alone cannot tell these from paraphrases. This gate reads both questions and refuses the
 * match when they differ in any of these, or when one has a content word (after stemming and a short
 * list of synonyms) that the other lacks. It errs on the side of refusing: a wrong answer served from
 * the cache is far worse than a call that goes upstream.
 *
 * <p>Paraphrases pass when they only reorder words, change case or punctuation, add politeness,
 * expand contractions or swap a listed synonym. Thread-safe and allocation-light: a check costs a
 * few microseconds.
 */
public final class LexicalGate {
  private static final Set<List<String>> OPPOSITES = opposites();
  private static final Set<String> SYMMETRIC = Set.of("and", "or", "nor", "&", "plus");
  private static final String[] NEGATIVE_PREFIXES = {"un", "in", "im", "il", "ir", "dis", "non"};

  /** Whether a match may be served, and if not, why (for traces: "numbers differ: 3 vs 4"). */
  public record Verdict(boolean pass, String reason) {
    static final Verdict PASS = new Verdict(true, "same ask");

    static Verdict refuse(String reason) {
      return new Verdict(false, reason);
    }
  }

  /** A gate with the built-in English word lists. */
  public LexicalGate() {
  }

  /** Whether {@code query} asks the same as the {@code cached} question, whose answer would be served. */
  public Verdict check(String query, String cached) {
    return compare(TextParser.parse(query), TextParser.parse(cached));
  }

  Verdict compare(Parsed a, Parsed b) {
    String diff = idDifference(a, b);
    if (diff != null) {
      return Verdict.refuse("identifiers differ: " + diff);
    }
    if (!a.numbers().equals(b.numbers())) {
      return Verdict.refuse("numbers differ: " + show(a.numbers()) + " vs " + show(b.numbers()));
    }
    if (!a.units().equals(b.units())) {
      return Verdict.refuse("units differ: " + show(a.units()) + " vs " + show(b.units()));
    }
    if (!a.dates().equals(b.dates())) {
      return Verdict.refuse("dates differ: " + show(a.dates()) + " vs " + show(b.dates()));
    }
    if (a.negators().size() != b.negators().size()) {
      List<String> more = a.negators().size() > b.negators().size() ? a.negators() : b.negators();
      return Verdict.refuse("negation differs: '" + more.get(0) + "' in one only");
    }
    if (a.obligation() != b.obligation()) {
      return Verdict.refuse("asks differ: what one must do vs what one may do");
    }
    if (a.tense() != null && b.tense() != null && !a.tense().equals(b.tense())) {
      return Verdict.refuse("tense differs: " + a.tense() + " vs " + b.tense());
    }
    if (a.froms() != b.froms()) {
      return Verdict.refuse("direction differs: 'from' in one only");
    }
    if (!a.asks().equals(b.asks())) {
      return Verdict.refuse("asks differ: " + show(a.asks()) + " vs " + show(b.asks()));
    }
    Set<String> onlyA = minus(a.words(), b.words());
    Set<String> onlyB = minus(b.words(), a.words());
    // "OneDrive" is an identifier in one text and a word in the other: already matched above
    onlyA.removeIf(w -> b.ids().contains(a.surface().get(w).toLowerCase(Locale.ROOT)));
    onlyB.removeIf(w -> a.ids().contains(b.surface().get(w).toLowerCase(Locale.ROOT)));
    for (String x : onlyA) {
      for (String y : onlyB) {
        if (opposite(x, y)) {
          return Verdict.refuse("opposite words: " + a.surface().get(x) + " vs " + b.surface().get(y));
        }
      }
    }
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      boolean named = onlyA.stream().anyMatch(a.names()::contains) || onlyB.stream().anyMatch(b.names()::contains);
      return Verdict.refuse((named ? "names differ: " : "words differ: ") + typed(onlyA, a) + " vs "
          + typed(onlyB, b));
    }
    String order = orderDifference(a, b);
    if (order != null) {
      return Verdict.refuse(order);
    }
    return Verdict.PASS;
  }

  /** An identifier of one text that the other has neither as an identifier nor as a word. */
  private static String idDifference(Parsed a, Parsed b) {
    for (String id : a.ids()) {
      if (!b.ids().contains(id) && !b.tokens().contains(id)) {
        return id + " vs " + (b.ids().isEmpty() ? "none" : String.join(", ", b.ids()));
      }
    }
    for (String id : b.ids()) {
      if (!a.ids().contains(id) && !a.tokens().contains(id)) {
        return (a.ids().isEmpty() ? "none" : String.join(", ", a.ids())) + " vs " + id;
      }
    }
    return null;
  }

  /**
   * Two anchors that both texts have once, in opposite orders, with a marker between them in each
   * ("from Paris to Lyon" against "from Lyon to Paris", "X instead of Y" against "Y instead of X"), or
   * with the same words between them in each ("can a manager fire an employee" against "can an
   * employee fire a manager"), unless that is little more than "and" or "or", which work both ways. A paraphrase
   * that moves a clause ("for a runny yolk, how long ...") or turns a phrase around ("the room rate
   * includes breakfast") changes what stands between the two, so it is not taken for a swap.
   */
  private static String orderDifference(Parsed a, Parsed b) {
    Map<String, Integer> posA = singlePositions(a.anchors());
    Map<String, Integer> posB = singlePositions(b.anchors());
    List<String> shared = new ArrayList<>();
    for (String x : posA.keySet()) {
      if (posB.containsKey(x)) {
        shared.add(x);
      }
    }
    for (int i = 0; i < shared.size(); i++) {
      for (int j = i + 1; j < shared.size(); j++) {
        String x = shared.get(i);
        String y = shared.get(j);
        int ax = posA.get(x);
        int ay = posA.get(y);
        int bx = posB.get(x);
        int by = posB.get(y);
        if ((ax < ay) == (bx < by)) {
          continue;
        }
        int a1 = Math.min(ax, ay);
        int a2 = Math.max(ax, ay);
        int b1 = Math.min(bx, by);
        int b2 = Math.max(bx, by);
        String ma = a.markerBetween(a1, a2);
        String mb = b.markerBetween(b1, b2);
        List<String> betweenA = a.between(a1, a2);
        // "X and Y", "a Roth IRA and a traditional IRA" work both ways; "X approves the budget or Y" does not
        boolean symmetric = betweenA.size() <= 2 && betweenA.stream().anyMatch(SYMMETRIC::contains);
        boolean sameLink = !betweenA.isEmpty() && betweenA.equals(b.between(b1, b2)) && !symmetric;
        if (ma != null && mb != null || sameLink) {
          ma = ma != null ? ma : String.join(" ", betweenA);
          String first = ax < ay ? x : y;
          String second = ax < ay ? y : x;
          return "order differs around '" + ma + "': " + shown(first, a) + " … " + shown(second, a) + " vs "
              + shown(second, b) + " … " + shown(first, b);
        }
      }
    }
    return null;
  }

  private static Map<String, Integer> singlePositions(List<String> anchors) {
    Map<String, Integer> pos = new HashMap<>();
    Set<String> repeated = new HashSet<>();
    for (int i = 0; i < anchors.size(); i++) {
      if (pos.putIfAbsent(anchors.get(i), i) != null) {
        repeated.add(anchors.get(i));
      }
    }
    pos.keySet().removeAll(repeated);
    return pos;
  }

  private static boolean opposite(String x, String y) {
    if (OPPOSITES.contains(List.of(x, y)) || OPPOSITES.contains(List.of(y, x))) {
      return true;
    }
    for (String p : NEGATIVE_PREFIXES) {
      if (x.equals(p + y) || y.equals(p + x)) {
        return true;
      }
    }
    return false;
  }

  private static Set<List<String>> opposites() {
    Set<List<String>> s = new HashSet<>();
    for (String[] pair : Lexicon.OPPOSITES) {
      s.add(List.of(Stems.canonical(pair[0]), Stems.canonical(pair[1])));
    }
    return Set.copyOf(s);
  }

  private static Set<String> minus(Set<String> x, Set<String> y) {
    Set<String> out = new LinkedHashSet<>(x);
    out.removeAll(y);
    return out;
  }

  private static String typed(Set<String> stems, Parsed p) {
    if (stems.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>();
    for (String s : stems) {
      shown.add(p.surface().getOrDefault(s, s));
    }
    return String.join(", ", shown);
  }

  private static String shown(String anchor, Parsed p) {
    return p.surface().getOrDefault(anchor, anchor);
  }

  private static String show(Collection<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }
}
