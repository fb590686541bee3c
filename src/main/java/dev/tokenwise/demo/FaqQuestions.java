package dev.tokenwise.demo;

import java.util.Random;

/**
 * The questions the FAQ bot gets: 30 popular ones asked word for word (about 37 % of the calls),
 * paraphrases of them (about 20 %: half typed in a hurry, lower case or without the question mark, half
 * asking the same in other words), and questions about one
 * customer's own order, invoice or account that no one else asks (the rest).
 */
final class FaqQuestions {
  /** Share of calls that ask a popular question word for word. */
  static final double EXACT_SHARE = 0.37;
  /** Share of calls that ask a popular question in other words. */
  static final double PARAPHRASE_SHARE = 0.20;

  /** What kind of question a call asks. */
  enum Kind { EXACT, PARAPHRASE, UNIQUE }

  /**
   * One question asked.
   *
   * @param kind how it relates to the popular questions
   * @param popular the index of the popular question it asks, or -1 for a unique one
   * @param text the words sent
   */
  record Question(Kind kind, int popular, String text) {}

  /** Each row: the popular wording, then two others that ask the same. */
  static final String[][] POPULAR = {
      {"How do I reset my password?", "I forgot my password, how can I set a new one?",
          "What are the steps to change a password I no longer remember?"},
      {"How do I cancel my subscription?", "What do I need to do to end my subscription?",
          "Where can I stop my plan from renewing?"},
      {"Where can I download my invoices?", "How do I get a copy of my invoices?",
          "Where are my past invoices kept?"},
      {"How do I change my billing address?", "Can I update the address on my invoices?",
          "Where do I edit the billing address of my account?"},
      {"Which payment methods do you accept?", "Can I pay by credit card or bank transfer?",
          "What ways of paying do you support?"},
      {"How do I upgrade my plan?", "What is the way to move to a bigger plan?",
          "Can I switch to a higher plan myself?"},
      {"How do I invite a teammate?", "How can I add a colleague to my project?",
          "What are the steps to give a coworker access?"},
      {"How do I enable two-factor authentication?", "Where do I turn on two-factor login?",
          "How can I protect my account with a second factor?"},
      {"What are your support hours?", "When can I reach your support team?",
          "At what times is support available?"},
      {"How do I delete my account?", "What do I do to close my account for good?",
          "Can I remove my account and all its data?"},
      {"Is my data encrypted at rest?", "Do you encrypt the data you store for me?",
          "Are my files stored encrypted?"},
      {"Where are your data centers?", "In which regions do you host data?",
          "Which locations can I keep my data in?"},
      {"How do I rotate an API key?", "How can I replace my API key with a new one?",
          "What is the procedure to renew an API key?"},
      {"What happens when I exceed my storage quota?", "What if I use more storage than my plan includes?",
          "Is there a charge when I go over my storage limit?"},
      {"How do I get a refund?", "Can I ask for my money back?", "What is the process to request a refund?"},
      {"Do you offer a free trial?", "Can I try the service before paying?", "Is there a trial period?"},
      {"How do I export my data?", "Can I download all of my data?", "What is the way to take my data out?"},
      {"How do I add a custom domain?", "Can I use my own domain name?",
          "What are the steps to connect my domain?"},
      {"Is there a discount for nonprofits?", "Do charities get a lower price?",
          "Do you have special pricing for nonprofit organisations?"},
      {"How do I contact sales?", "Who do I talk to about a large contract?",
          "How can I reach your sales team?"},
      {"Can I change the currency of my invoices?", "Is it possible to be billed in another currency?",
          "How do I get invoices in euros instead of dollars?"},
      {"How do I restore a deleted file?", "Can I get back a file I removed by mistake?",
          "Is there a way to recover a deleted file?"},
      {"What is your uptime guarantee?", "What availability do you promise?", "Do you have an SLA for uptime?"},
      {"How do I set up single sign-on?", "Can my team log in with our identity provider?",
          "How is SSO configured?"},
      {"Why was my card declined?", "My payment failed, what could be wrong?",
          "What does it mean when my card is refused?"},
      {"How do I change the owner of an organisation?", "Can I transfer my organisation to a colleague?",
          "How do I hand over ownership of our organisation?"},
      {"Do you have a status page?", "Where can I see if there is an outage?",
          "How do I check the current service status?"},
      {"How do I set a spending limit?", "Can I cap how much I spend each month?",
          "Is there a way to limit my monthly bill?"},
      {"Is there an API rate limit?", "How many API requests can I make per minute?",
          "Do you throttle API calls?"},
      {"How do I update my VAT number?", "Where do I add my company's tax number?",
          "Can I put my VAT ID on the invoices?"}};

  private static final String[] OPENERS = {"", "Hi! ", "Hello, ", "Quick question: ", "Hey there. ",
      "Good morning! ", "Sorry to bother you, ", "Hi team, "};
  private static final String[] CLOSERS = {"", " Thanks!", " Thank you.", " Thanks in advance.",
      " Cheers.", " Much appreciated."};
  private static final String[] UNIQUE = {
      "Can I still return order {order} that I received on {date}?",
      "Why is my invoice for {date} {amount} higher than last month?",
      "Has the refund of {amount} for order {order} been sent?",
      "My order {order} shows as shipped since {date}, where is it now?",
      "Can you move my renewal from {date} to the end of the month? My account is {order}.",
      "I paid {amount} on {date} but my account {order} still shows as unpaid, why?",
      "Is {product} down in {region} right now? My project {order} cannot connect.",
      "Can I get a receipt of {amount} for order {order} with my company name on it?"};

  private FaqQuestions() {}

  /** The question of one call, drawn from {@code r}. */
  static Question ask(Random r) {
    double kind = r.nextDouble();
    if (kind < EXACT_SHARE) {
      int i = popular(r);
      return new Question(Kind.EXACT, i, POPULAR[i][0]);
    }
    if (kind < EXACT_SHARE + PARAPHRASE_SHARE) {
      int i = popular(r);
      if (r.nextBoolean()) {
        return new Question(Kind.PARAPHRASE, i, typed(POPULAR[i][0], r));
      }
      String words = POPULAR[i][1 + r.nextInt(2)];
      String text = Texts.pick(OPENERS, r) + words + Texts.pick(CLOSERS, r);
      return new Question(Kind.PARAPHRASE, i, text);
    }
    return new Question(Kind.UNIQUE, -1, Texts.fill(Texts.pick(UNIQUE, r), r));
  }

  /**
   * The popular wording as people type it in a hurry: all lower case, or without its question mark, or
   * both. Half the paraphrases are these; the other half say it in other words.
   */
  static String typed(String question, Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> question.toLowerCase(java.util.Locale.ROOT);
      case 1 -> question.endsWith("?") ? question.substring(0, question.length() - 1) : question + "?";
      default -> {
        String lower = question.toLowerCase(java.util.Locale.ROOT);
        yield lower.endsWith("?") ? lower.substring(0, lower.length() - 1) : lower;
      }
    };
  }

  /** A popular question, the first ones asked most (weights 1/(i+1)^0.8, as such questions are). */
  private static int popular(Random r) {
    double total = 0;
    for (int i = 0; i < POPULAR.length; i++) {
      total += weight(i);
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < POPULAR.length; i++) {
      x -= weight(i);
      if (x < 0) {
        return i;
      }
    }
    return POPULAR.length - 1;
  }

  private static double weight(int i) {
    return 1 / Math.pow(i + 1, 0.8);
  }
}
