package dev.tokenwise.cache.semantic;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The word lists the lexical gate reads: which words carry no meaning of their own in a question,
 * which name a unit, a date, a negation or a kind of question, which are the same word in other
 * clothes, and which are opposites. English only; a word missing here errs on the side of refusing.
 */
final class Lexicon {
  private Lexicon() {
  }

  /** Words whose presence or absence never changes what is asked: articles, pronouns, auxiliaries, politeness. */
  static final Set<String> LIGHT = words(
      "a", "an", "the", "i", "me", "my", "mine", "myself", "we", "our", "ours", "you", "your", "yours", "u", "ur",
      "he", "she", "him", "her", "his", "it", "its", "they", "them", "their", "this", "that", "these", "those",
      "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "doing", "have", "has",
      "had", "having", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "ought",
      "in", "on", "at", "of", "for", "with", "to", "from", "by", "about", "as", "per", "via", "using", "than",
      "into", "onto", "and", "or", "but", "if", "whether", "so", "then", "also", "just", "really", "actually",
      "exactly", "usually", "typically", "normally", "generally", "currently", "please", "pls", "plz", "kindly",
      "thanks", "thank", "thx", "hi", "hello", "hey", "sorry", "ok", "okay", "alright", "tell", "know", "let",
      "wonder", "wondering", "want", "wanted", "like", "there", "here", "any", "some", "each", "every", "way",
      "ways", "possible", "allowed", "permitted", "able", "considered", "process", "procedure", "steps", "up",
      "there", "good", "best", "some", "one", "what", "which", "how", "who", "whom", "whose", "where", "when",
      "why", "quick", "question", "anyone", "somebody", "someone", "guys", "again", "already", "yet", "too");

  private static Set<String> words(String... words) {
    return Set.copyOf(Arrays.asList(words));
  }

  /** Words that turn a statement around. */
  static final Set<String> NEGATORS = Set.of(
      "not", "no", "never", "none", "nothing", "nobody", "nowhere", "neither", "nor", "without");

  /** Words around which swapping two others changes the meaning: from X to Y, X than Y, X instead of Y. */
  static final Set<String> MARKERS = Set.of(
      "to", "into", "onto", "from", "than", "vs", "versus", "instead", "over", "before", "after", "for",
      "toward", "towards", "of", "by", "with", "->", "→", ">", "<");

  /** Spelled-out numbers (ordinals from third: "first" and "second" are too often not numbers). */
  static final Map<String, Long> NUMBER_WORDS = numberWords();

  /** Unit words to one canonical name; one-letter units count only right after a number. */
  static final Map<String, String> UNITS = units();
  static final Set<String> SHORT_UNITS = Set.of("g", "m", "l", "h", "c", "f", "s", "mi", "oz", "ft", "yd", "lb",
      "gb", "mb", "kb", "tb", "am", "pm", "st", "nd", "rd", "th", "min", "sec", "secs", "second", "w", "v");

  /** Words that fix a day, a time of day or a season. May and March count only capitalised or by a number. */
  static final Map<String, String> DATES = dates();
  /** Words that, before a date word or time unit, make another date of it: next week, this month. */
  static final Set<String> DATE_QUALIFIERS = Set.of("next", "last", "this", "coming", "previous", "past");

  /** The kind of question a wh-word asks, when it opens a clause. */
  static final Map<String, String> QUESTION_WORDS = Map.of(
      "who", "who", "whom", "who", "whose", "who", "where", "where", "when", "when", "why", "why");
  /** The kind of question "how X" asks. */
  static final Map<String, String> HOW_WORDS = Map.of(
      "long", "duration", "many", "quantity", "far", "distance", "often", "frequency", "old", "age",
      "soon", "when", "early", "when", "late", "when");
  /** Nouns and adjectives that say what is asked wherever they stand. */
  static final Map<String, String> ASK_WORDS = Map.ofEntries(
      Map.entry("price", "cost"), Map.entry("prices", "cost"), Map.entry("pricing", "cost"),
      Map.entry("cost", "cost"), Map.entry("costs", "cost"), Map.entry("fee", "cost"), Map.entry("fees", "cost"),
      Map.entry("expensive", "cost"), Map.entry("deadline", "when"), Map.entry("distance", "distance"),
      Map.entry("duration", "duration"), Map.entry("frequency", "frequency"), Map.entry("age", "age"));
  /** Words after "how much" that make it ask a price: how much is it, how much does it cost. */
  static final Set<String> HOW_MUCH_VERBS = Set.of(
      "is", "are", "was", "were", "does", "do", "did", "will", "would", "can", "could", "should", "to", "for",
      "it", "they", "i", "we", "you");

  /** Irregular forms the suffix stripper cannot reach. */
  static final Map<String, String> IRREGULAR = Map.ofEntries(
      Map.entry("spoken", "speak"), Map.entry("spoke", "speak"), Map.entry("wrote", "write"),
      Map.entry("written", "write"), Map.entry("took", "take"), Map.entry("taken", "take"),
      Map.entry("bought", "buy"), Map.entry("sold", "sell"), Map.entry("paid", "pay"), Map.entry("sent", "send"),
      Map.entry("got", "get"), Map.entry("gotten", "get"), Map.entry("went", "go"), Map.entry("gone", "go"),
      Map.entry("ran", "run"), Map.entry("made", "make"), Map.entry("children", "child"),
      Map.entry("men", "man"), Map.entry("women", "woman"), Map.entry("people", "person"),
      Map.entry("feet", "foot"), Map.entry("teeth", "tooth"), Map.entry("mice", "mouse"),
      Map.entry("knives", "knife"), Map.entry("lives", "life"), Map.entry("won", "win"), Map.entry("lost", "lose"),
      Map.entry("began", "begin"), Map.entry("begun", "begin"), Map.entry("chose", "choose"),
      Map.entry("chosen", "choose"), Map.entry("froze", "freeze"), Map.entry("frozen", "freeze"),
      Map.entry("broke", "break"), Map.entry("broken", "break"), Map.entry("forgot", "forget"),
      Map.entry("forgotten", "forget"), Map.entry("data", "data"), Map.entry("news", "news"),
      Map.entry("bus", "bus"), Map.entry("gas", "gas"), Map.entry("analyses", "analysis"));

  /**
   * Words that mean the same in a question, each group under its first word (groups are stemmed when
   * read). Only plain, context-free equivalences: a pair that is the same in one domain and not in
   * another stays out.
   */
  static final String[][] SYNONYMS = {
      {"need", "require", "requirement", "necessary", "mandatory"},
      {"change", "modify", "alter", "update", "edit", "amend"},
      {"cancel", "cancellation"},
      {"buy", "purchase"},
      {"start", "begin"},
      {"finish", "complete"},
      {"fix", "repair", "resolve", "solve"},
      {"big", "large"},
      {"small", "little"},
      {"fast", "quick", "quickly"},
      {"delete", "erase"},
      {"deliver", "delivery", "ship", "shipping"},
      {"package", "parcel"},
      {"reserve", "reservation", "book", "booking"},
      {"increase", "raise"},
      {"decrease", "reduce", "lower"},
      {"substitute", "instead", "replacement", "alternative"},
      {"write", "author", "writer"},
      {"height", "tall"},
      {"high", "rich"},
      {"max", "maximum"},
      {"min", "minimum"},
      {"int", "integer"},
      {"exercise", "workout"},
      {"remote", "remotely"},
      {"oneway", "single"},
      {"car", "automobile"},
      {"medicine", "medication"},
      {"doctor", "physician"},
      {"kid", "child"},
      {"phone", "telephone"},
      {"email", "mail"},
      {"closest", "nearest"},
      {"difference", "different", "differ"},
      {"receive", "receipt"},
  };

  /** Pairs of opposite stems, named in the refusal ("include vs exclude") rather than "words differ". */
  static final String[][] OPPOSITES = {
      {"include", "exclude"}, {"allow", "forbid"}, {"allow", "prohibit"}, {"open", "close"}, {"open", "closed"},
      {"pass", "fail"}, {"succeed", "fail"}, {"accept", "reject"}, {"accept", "decline"}, {"increase", "decrease"},
      {"add", "remove"}, {"enable", "disable"}, {"win", "lose"}, {"buy", "sell"}, {"arrive", "depart"},
      {"start", "stop"}, {"more", "less"}, {"more", "fewer"}, {"higher", "lower"}, {"cheaper", "expensive"},
      {"hot", "cold"}, {"on", "off"}, {"upload", "download"}, {"import", "export"}, {"max", "min"},
      {"early", "late"}, {"earlier", "later"}, {"public", "private"}, {"good", "bad"}, {"best", "worst"},
      {"true", "false"}, {"safe", "dangerous"}, {"legal", "illegal"}, {"debit", "credit"}, {"input", "output"},
      {"push", "pull"}, {"encrypt", "decrypt"}, {"in", "out"}, {"up", "down"}, {"left", "right"},
  };

  private static Map<String, Long> numberWords() {
    Map<String, Long> m = new HashMap<>();
    String[] ones = {"zero", null, "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    for (int i = 0; i < ones.length; i++) {
      if (ones[i] != null) {
        m.put(ones[i], (long) i);
      }
    }
    String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < tens.length; i++) {
      m.put(tens[i], 20L + 10L * i);
    }
    String[] ordinals = {"third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth"};
    for (int i = 0; i < ordinals.length; i++) {
      m.put(ordinals[i], 3L + i);
    }
    m.put("dozen", 12L);
    m.put("hundred", 100L);
    m.put("thousand", 1_000L);
    m.put("million", 1_000_000L);
    m.put("billion", 1_000_000_000L);
    return Map.copyOf(m);
  }

  private static Map<String, String> units() {
    Map<String, String> m = new HashMap<>();
    group(m, "kg", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes");
    group(m, "g", "g", "gr", "gram", "grams", "gramme", "grammes");
    group(m, "mg", "mg", "milligram", "milligrams");
    group(m, "lb", "lb", "lbs", "pound", "pounds");
    group(m, "oz", "oz", "ounce", "ounces");
    group(m, "l", "l", "liter", "liters", "litre", "litres");
    group(m, "ml", "ml", "milliliter", "milliliters", "millilitre", "millilitres");
    group(m, "cup", "cup", "cups");
    group(m, "tbsp", "tbsp", "tablespoon", "tablespoons");
    group(m, "tsp", "tsp", "teaspoon", "teaspoons");
    group(m, "qt", "qt", "quart", "quarts");
    group(m, "pint", "pint", "pints");
    group(m, "gal", "gal", "gallon", "gallons");
    group(m, "km", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres");
    group(m, "m", "m", "meter", "meters", "metre", "metres");
    group(m, "cm", "cm", "centimeter", "centimeters", "centimetre", "centimetres");
    group(m, "mm", "mm", "millimeter", "millimeters", "millimetre", "millimetres");
    group(m, "mi", "mi", "mile", "miles");
    group(m, "ft", "ft", "foot", "feet");
    group(m, "in", "inch", "inches");
    group(m, "yd", "yd", "yard", "yards");
    group(m, "c", "c", "celsius", "centigrade");
    group(m, "f", "f", "fahrenheit");
    group(m, "deg", "degree", "degrees");
    group(m, "kb", "kb", "kilobyte", "kilobytes");
    group(m, "mb", "mb", "megabyte", "megabytes");
    group(m, "gb", "gb", "gigabyte", "gigabytes", "gig", "gigs");
    group(m, "tb", "tb", "terabyte", "terabytes");
    group(m, "mbps", "mbps");
    group(m, "gbps", "gbps");
    group(m, "ghz", "ghz");
    group(m, "mhz", "mhz");
    group(m, "w", "w", "watt", "watts");
    group(m, "kw", "kw", "kilowatt", "kilowatts");
    group(m, "kwh", "kwh");
    group(m, "v", "v", "volt", "volts");
    group(m, "pct", "percent", "percentage", "%");
    group(m, "usd", "usd", "dollar", "dollars", "buck", "bucks", "$");
    group(m, "eur", "eur", "euro", "euros", "€");
    group(m, "gbp", "gbp", "£", "sterling", "quid");
    group(m, "jpy", "jpy", "yen", "¥");
    group(m, "chf", "chf", "franc", "francs");
    group(m, "cent", "cent", "cents");
    group(m, "s", "s", "sec", "secs", "second", "seconds");
    group(m, "min", "min", "mins", "minute", "minutes");
    group(m, "h", "h", "hr", "hrs", "hour", "hours");
    group(m, "day", "day", "days", "daily");
    group(m, "week", "week", "weeks", "weekly");
    group(m, "month", "month", "months", "monthly");
    group(m, "year", "year", "years", "yearly", "annual", "annually", "yr", "yrs");
    group(m, "am", "am", "a.m.");
    group(m, "pm", "pm", "p.m.");
    group(m, "ord", "st", "nd", "rd", "th");
    return Map.copyOf(m);
  }

  private static Map<String, String> dates() {
    Map<String, String> m = new HashMap<>();
    for (String d : new String[] {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}) {
      group(m, d, d, d + "s");
    }
    String[] months = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"};
    for (String mo : months) {
      m.put(mo, mo);
    }
    group(m, "january", "jan");
    group(m, "february", "feb");
    group(m, "april", "apr");
    group(m, "june", "jun");
    group(m, "july", "jul");
    group(m, "august", "aug");
    group(m, "september", "sep", "sept");
    group(m, "october", "oct");
    group(m, "november", "nov");
    group(m, "december", "dec");
    for (String w : new String[] {"today", "tonight", "tomorrow", "yesterday", "morning", "afternoon", "evening",
        "night", "noon", "midnight", "weekend", "weekday", "christmas", "easter", "thanksgiving", "halloween",
        "spring", "summer", "autumn", "winter", "overnight"}) {
      m.put(w, w);
    }
    group(m, "weekend", "weekends");
    group(m, "weekday", "weekdays");
    group(m, "night", "nights");
    group(m, "morning", "mornings");
    group(m, "evening", "evenings");
    return Map.copyOf(m);
  }

  private static void group(Map<String, String> m, String canonical, String... words) {
    for (String w : words) {
      m.put(w, canonical);
    }
  }
}
