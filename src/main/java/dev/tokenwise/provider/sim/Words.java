package dev.tokenwise.provider.sim;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The simulator's two vocabularies and the sentences made of them. Right answers use the ordinary
 * one; wrong answers use an off-topic one that shares no word with it, so that a wrong answer looks
 * unrelated to the right one to anything that compares words or meanings, and the simulated judge
 * can tell which of two answers went astray by counting words.
 */
final class Words {
  /** The words of every right answer. */
  static final String[] ON_TOPIC = {
      "the", "a", "simulated", "answer", "keeps", "every", "token", "in", "its", "place", "while",
      "costs", "stay", "small", "and", "steady", "gateway", "measures", "what", "each", "call",
      "spends", "cache", "reads", "are", "cheap", "writes", "cost", "more", "prompts", "grow",
      "with", "history", "models", "reply", "quickly", "clearly", "today", "this", "request",
      "was", "handled", "by", "local", "provider", "stand-in", "numbers", "add", "up", "exactly",
      "streams", "arrive", "as", "events", "one", "after", "another", "nothing", "here", "is",
      "real", "but", "shape", "matches"};

  /** The words of wrong answers: none of them is a word of {@link #ON_TOPIC}. */
  static final String[] OFF_TOPIC = {
      "orbit", "violin", "harbour", "glacier", "lantern", "meadow", "copper", "falcon", "marble",
      "tide", "velvet", "canyon", "pepper", "ivory", "thunder", "saddle", "quartz", "willow",
      "ember", "parsley", "lighthouse", "compass", "tundra", "walrus", "accordion", "basil",
      "cobalt", "dune", "fjord", "gondola", "hazel", "iceberg", "juniper", "kettle", "lagoon",
      "mosaic", "nectar", "oyster", "pebble", "quilt", "raven", "saffron", "tulip", "umbrella",
      "vineyard", "wagon", "yarrow", "zephyr", "anchor", "bramble", "cello", "drizzle", "fern",
      "granite", "heron", "indigo", "jasmine", "kayak", "lemon", "maple", "nutmeg", "otter", "pine",
      "comet"};

  private static final Set<String> ON = lower(ON_TOPIC);
  private static final Set<String> OFF = lower(OFF_TOPIC);

  private Words() {}

  /** One or two sentences of 6 to 13 ordinary words picked by the seed: a right answer. */
  static String sentences(long seed) {
    return sentences(seed, null);
  }

  /**
   * The sentences {@link #sentences(long)} makes from this seed, as many and as long, but with each
   * word an off-topic one drawn from {@code pick}: a wrong answer of the same size.
   */
  static String offTopicSentences(long seed, Random pick) {
    return sentences(seed, pick);
  }

  private static String sentences(long seed, Random pick) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.next(2);
    for (int s = 0; s < n; s++) {
      int words = 6 + r.next(8);
      for (int w = 0; w < words; w++) {
        // The ordinary word is drawn even for a wrong answer, so that both take the same shape.
        String word = ON_TOPIC[r.next(ON_TOPIC.length)];
        if (pick != null) {
          word = OFF_TOPIC[pick.next(OFF_TOPIC.length)];
        }
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
          if (s > 0) {
            sb.append(' ');
          }
        } else {
          sb.append(' ');
        }
        sb.append(word);
      }
      sb.append('.');
    }
    return sb.toString();
  }

  /**
   * This text with each run of letters replaced by an off-topic word, keeping the capitals of first
   * letters, the digits, punctuation and spaces.
   */
  static String offTopic(String like, Random pick) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < like.length()) {
      int cp = like.codePointAt(i);
      if (!Character.isLetter(cp)) {
        sb.appendCodePoint(cp);
        i += Character.charCount(cp);
        continue;
      }
      int end = i;
      while (end < like.length() && Character.isLetter(like.codePointAt(end))) {
        end += Character.charCount(like.codePointAt(end));
      }
      String word = OFF_TOPIC[pick.next(OFF_TOPIC.length)];
      if (Character.isUpperCase(cp)) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      sb.append(word);
      i = end;
    }
    return sb.toString();
  }

  /** How many of the words of a text come from each vocabulary (other words count in neither). */
  record Tally(int onTopic, int offTopic) {
    Tally plus(Tally o) {
      return new Tally(onTopic + o.onTopic, offTopic + o.offTopic);
    }
  }

  static Tally tally(String text) {
    int on = 0;
    int off = 0;
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (ON.contains(w)) {
        on++;
      } else if (OFF.contains(w)) {
        off++;
      }
    }
    return new Tally(on, off);
  }

  private static Set<String> lower(String[] words) {
    Set<String> out = new HashSet<>();
    for (String w : words) {
      for (String part : w.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    return Set.copyOf(out);
  }

  /** A tiny splitmix generator: what it draws depends on the seed alone, with no shared state. */
  static final class Random {
    private long state;

    Random(long seed) {
      this.state = seed;
    }

    int next(int bound) {
      state += 0x9e3779b97f4a7c15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      z = z ^ (z >>> 31);
      return (int) Math.floorMod(z, (long) bound);
    }
  }
}
