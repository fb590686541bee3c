package dev.tokenwise.provider.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic tokenizer. Rule: a token is a maximal run of letters and digits, or a
 * maximal run of other non-space characters; white space is free. So {@code "Hello, world!"} is four
 * tokens ({@code Hello}, {@code ,}, {@code world}, {@code !}). Every count the simulator reports,
 * input and output, comes from this rule.
 */
final class Tokens {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Tokens() {}

  static int count(String text) {
    if (text == null) {
      return 0;
    }
    int n = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
      } else {
        i = tokenEnd(text, i);
        n++;
      }
    }
    return n;
  }

  /** The tokens of a text, in order. */
  static List<String> split(String text) {
    List<Integer> s = spans(text);
    List<String> out = new ArrayList<>(s.size() / 2);
    for (int i = 0; i < s.size(); i += 2) {
      out.add(text.substring(s.get(i), s.get(i + 1)));
    }
    return out;
  }

  /** The text up to the end of its {@code n}-th token (all of it when it has fewer). */
  static String prefix(String text, int n) {
    List<Integer> s = spans(text);
    if (n * 2 >= s.size()) {
      return text;
    }
    return n <= 0 ? "" : text.substring(0, s.get(n * 2 - 1));
  }

  /** Start and end offsets of each token, flattened. */
  private static List<Integer> spans(String text) {
    List<Integer> out = new ArrayList<>();
    int i = 0;
    int len = text.length();
    while (i < len) {
      int cp = text.codePointAt(i);
      if (Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      out.add(i);
      i = tokenEnd(text, i);
      out.add(i);
    }
    return out;
  }

  /** A 64-bit FNV-1a hash of a text. */
  static long hash(String text) {
    return mix(FNV_OFFSET, text);
  }

  /** Folds a text into a running hash, with a separator so that "ab"+"c" differs from "a"+"bc". */
  static long mix(long h, String text) {
    return mix(h, text, 0, text.length());
  }

  /** {@link #mix(long, String)} of {@code text.substring(from, to)}, without making the substring. */
  private static long mix(long h, String text, int from, int to) {
    for (int i = from; i < to; i++) {
      h ^= text.charAt(i);
      h *= FNV_PRIME;
    }
    h ^= 0x1f;
    return h * FNV_PRIME;
  }

  /** The end of the token that starts at {@code start} (not white space). */
  private static int tokenEnd(String text, int start) {
    boolean word = Character.isLetterOrDigit(text.codePointAt(start));
    int i = start;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (Character.isWhitespace(c) || Character.isLetterOrDigit(c) != word) {
        break;
      }
      i += Character.charCount(c);
    }
    return i;
  }

  /**
   * Counts a prompt token by token while keeping a running hash of everything seen, so that
   * prompt-cache prefixes can be compared without storing prompts.
   */
  static final class Tally {
    private int count;
    private long hash = FNV_OFFSET;
    private final List<Long> openAiBoundaries = new ArrayList<>();

    /** Adds the tokens of a text (scanned in place: a prompt may hold many thousands). */
    void text(String text) {
      if (text == null) {
        return;
      }
      int i = 0;
      while (i < text.length()) {
        int cp = text.codePointAt(i);
        if (Character.isWhitespace(cp)) {
          i += Character.charCount(cp);
          continue;
        }
        int end = tokenEnd(text, i);
        push(text, i, end);
        i = end;
      }
    }

    /** Adds {@code n} tokens that stand for structure or media rather than text. */
    void fixed(String marker, int n) {
      for (int i = 0; i < n; i++) {
        push(marker);
      }
    }

    /** Folds a marker into the hash without counting it (a role change, a block boundary). */
    void tag(String marker) {
      hash = mix(hash, "\u0000" + marker);
    }

    private void push(String token) {
      push(token, 0, token.length());
    }

    private void push(String text, int from, int to) {
      hash = mix(hash, text, from, to);
      count++;
      // OpenAI grants cache hits at 1024 tokens and every 128 after (openai.md §9.1).
      if (count >= 1024 && (count - 1024) % 128 == 0) {
        openAiBoundaries.add(hash);
      }
    }

    int count() {
      return count;
    }

    long hash() {
      return hash;
    }

    /** Hashes of the prefixes of 1024 + 128·k tokens, k = 0, 1, ... */
    List<Long> openAiBoundaries() {
      return openAiBoundaries;
    }
  }
}
