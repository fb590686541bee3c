package dev.tokenwise.provider.sim;

/**
 * Whether a model answers one input right: it does when its skill (1 to 5, from the catalog) is at
 * least the input's difficulty (1 to 5). The difficulty is drawn from a hash of the last user
 * message, 1 for about 55 % of inputs, 2 for 20 %, 3 for 12 %, 4 for 8 % and 5 for 5 %, so that a
 * model of skill 4 gets about 95 % of inputs right, skill 3 about 87 %, skill 2 about 75 % and skill
 * 1 about 55 %; a rule's {@link Rule#difficulty(int)} sets it instead.
 *
 * @param skill the model's skill
 * @param difficulty the input's difficulty
 * @param wrongSeed the seed of this model's wrong answer to this input, from both
 */
record Quality(int skill, int difficulty, long wrongSeed) {
  static final int MIN = 1;
  static final int MAX = 5;

  /** The percentage of inputs at or below each difficulty, 1 to 5. */
  private static final int[] AT_MOST = {55, 75, 87, 95, 100};

  /** Mixed into the message's hash so that difficulty does not follow the answer's own draws. */
  private static final long DIFFICULTY_SALT = 0x6469666669637574L;

  /** The quality of one call: the model's skill against the plan's difficulty, else the drawn one. */
  static Quality of(Catalog.Model model, Plan plan, String lastUserText) {
    String text = lastUserText == null ? "" : lastUserText;
    int difficulty = plan.difficulty() > 0 ? plan.difficulty() : difficulty(text);
    long seed = Rules.mix(Tokens.hash(text), Tokens.hash(model.answerId()));
    return new Quality(model.skill(), difficulty, seed);
  }

  /** Whether the model answers this input right. */
  boolean right() {
    return skill >= difficulty;
  }

  /** The difficulty the simulator draws for a last user message when no rule sets one. */
  static int difficulty(String lastUserText) {
    long h = Rules.mix(Tokens.hash(lastUserText) ^ DIFFICULTY_SALT, 0);
    int percent = (int) Math.floorMod(h, 100L);
    int level = 0;
    while (percent >= AT_MOST[level]) {
      level++;
    }
    return level + 1;
  }

  static void checkLevel(int level, String what) {
    if (level < MIN || level > MAX) {
      throw new IllegalArgumentException(what + " must be " + MIN + ".." + MAX + ", got " + level);
    }
  }
}
