package dev.tokenwise.eval;

import dev.tokenwise.cache.semantic.Embedder;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import java.util.List;
import java.util.Locale;

/**
 * Labelled answer pairs (reference, candidate) on which the similarity scorer's pass mark was chosen:
 * pairs that must pass (the same answer reworded, reordered or lightly edited) and pairs that must not
 * (other facts, another entity or number, another topic). Run {@link #main} to print every pair's cosine.
 */
final class SimilarityPairs {
  /** One pair; {@code pass} says what the scorer should decide. */
  record Pair(boolean pass, String kind, String reference, String candidate) {
  }

  static final List<Pair> PAIRS = List.of(
      new Pair(true, "identical",
          "The refund will be credited to your original payment method within 5 to 7 business days.",
          "The refund will be credited to your original payment method within 5 to 7 business days."),
      // Must pass: the same answer in other words.
      new Pair(true, "reworded",
          "You can reset your password from the login page by clicking 'Forgot password' and following the emailed link.",
          "To reset the password, click 'Forgot password' on the sign-in page and follow the link we email you."),
      new Pair(true, "reworded",
          "The refund will be credited to your original payment method within 5 to 7 business days.",
          "Expect the money back on the card you paid with in 5-7 working days."),
      new Pair(true, "reworded",
          "Water boils at 100 degrees Celsius at sea level.",
          "At sea level, the boiling point of water is 100 °C."),
      new Pair(true, "reworded",
          "The customer is unhappy because the order arrived late and the box was damaged.",
          "The client is upset: the package came late and was damaged."),
      new Pair(true, "reworded",
          "Python lists are mutable, while tuples cannot be changed after they are created.",
          "Unlike tuples, which are immutable once created, lists in Python can be modified."),
      new Pair(true, "reordered",
          "The meeting is on Tuesday at 10am in room 4B, and Anna will present the budget.",
          "Anna will present the budget at the meeting in room 4B on Tuesday at 10am."),
      new Pair(true, "reordered",
          "Paris is the capital of France and Berlin is the capital of Germany.",
          "Berlin is Germany's capital, and Paris is France's."),
      new Pair(true, "reordered",
          "Symptoms include fever, cough and fatigue; most people recover within two weeks.",
          "Most people recover within two weeks. Symptoms include fatigue, cough and fever."),
      new Pair(true, "minor edit",
          "The invoice total is $120, due on March 3.",
          "The invoice total is $120 and it is due on March 3."),
      new Pair(true, "minor edit",
          "Your order has shipped and should arrive on Friday.",
          "Good news: your order has shipped and it should arrive on Friday!"),
      new Pair(true, "minor edit",
          "The function returns None when the key is missing.",
          "The function returns None if the key is missing."),
      new Pair(true, "minor edit",
          "Summary: the team agreed to move the launch to next quarter to fix the billing bugs first.",
          "Summary - the team agreed to postpone the launch to next quarter so the billing bugs can be fixed first."),
      new Pair(true, "reworded",
          "To cancel your subscription, go to Settings, open Billing and press Cancel plan. You keep access until the end of the current period.",
          "Open Settings, then Billing, and choose 'Cancel plan'; your access continues until the current billing period ends."),
      new Pair(true, "reworded",
          "The error occurs because the variable is used before it is assigned.",
          "You get this error since the variable is read before any value has been assigned to it."),
      new Pair(true, "reworded",
          "I recommend the 14-inch model: it is lighter and the battery lasts longer.",
          "Go for the 14-inch one, since it weighs less and has better battery life."),
      new Pair(true, "reworded",
          "The contract can be terminated by either party with 30 days' written notice.",
          "Either side may end the agreement by giving thirty days' notice in writing."),
      new Pair(true, "reworded",
          "The patient should take one tablet twice a day with food for ten days.",
          "Take one pill two times daily with meals, for ten days."),
      new Pair(true, "reworded",
          "The build fails because the test dependency is missing from the pom file.",
          "The pom is missing the test dependency, which is why the build breaks."),
      new Pair(true, "reordered",
          "Ingredients: flour, eggs, milk and a pinch of salt.",
          "Ingredients: milk, a pinch of salt, eggs and flour."),
      new Pair(true, "minor edit",
          "Sentiment: negative. The reviewer complains about slow service.",
          "Sentiment: negative - the reviewer complains that the service was slow."),
      // Must not pass: other facts.
      new Pair(false, "other facts",
          "To cancel your subscription, go to Settings, open Billing and press Cancel plan. You keep access until the end of the current period.",
          "Subscriptions renew automatically every month and you are charged on the first day of each month."),
      new Pair(false, "other facts",
          "The error occurs because the variable is used before it is assigned.",
          "The error occurs because the file could not be found on disk."),
      new Pair(false, "other facts",
          "You can reset your password from the login page by clicking 'Forgot password' and following the emailed link.",
          "Passwords cannot be reset online; please call our support line during business hours."),
      new Pair(false, "other facts",
          "The refund will be credited to your original payment method within 5 to 7 business days.",
          "We do not offer refunds, but you can exchange the item for store credit."),
      new Pair(false, "other facts",
          "The customer is unhappy because the order arrived late and the box was damaged.",
          "The customer is happy with the product and praises the fast delivery."),
      new Pair(false, "other facts",
          "Python lists are mutable, while tuples cannot be changed after they are created.",
          "Python lists are sorted automatically, and tuples can only hold numbers."),
      new Pair(false, "other facts",
          "Summary: the team agreed to move the launch to next quarter to fix the billing bugs first.",
          "Summary: the team decided to launch next week as planned and hire two more engineers."),
      // Must not pass: another entity or number.
      new Pair(false, "other entity/number",
          "Water boils at 100 degrees Celsius at sea level.",
          "Water boils at 90 degrees Celsius at sea level."),
      new Pair(false, "other entity/number",
          "The invoice total is $120, due on March 3.",
          "The invoice total is $210, due on May 3."),
      new Pair(false, "other entity/number",
          "Paris is the capital of France.",
          "Lyon is the capital of France."),
      new Pair(false, "other entity/number",
          "The meeting is on Tuesday at 10am in room 4B, and Anna will present the budget.",
          "The meeting is on Thursday at 3pm in room 2A, and Mark will present the budget."),
      new Pair(false, "other entity/number",
          "Your order has shipped and should arrive on Friday.",
          "Your order has not shipped yet."),
      new Pair(false, "other entity/number",
          "I recommend the 14-inch model: it is lighter and the battery lasts longer.",
          "I recommend the 16-inch model: it has a bigger screen and more ports."),
      new Pair(false, "other entity/number",
          "Sentiment: negative. The reviewer complains about slow service.",
          "Sentiment: positive. The reviewer praises the fast service."),
      new Pair(false, "other entity/number",
          "The contract can be terminated by either party with 30 days' written notice.",
          "The contract can be terminated by either party with 90 days' written notice."),
      new Pair(false, "other facts",
          "The patient should take one tablet twice a day with food for ten days.",
          "The patient should stop taking the tablets and see a doctor."),
      new Pair(false, "other facts",
          "The build fails because the test dependency is missing from the pom file.",
          "The build fails because the Java version on the server is too old."),
      // Must not pass: off topic.
      new Pair(false, "off topic",
          "You can reset your password from the login page by clicking 'Forgot password' and following the emailed link.",
          "The Great Wall of China is over 20,000 kilometres long."),
      new Pair(false, "off topic",
          "The refund will be credited to your original payment method within 5 to 7 business days.",
          "Here is a recipe for banana bread: mash three ripe bananas and mix them with flour, sugar and eggs."),
      new Pair(false, "off topic",
          "Python lists are mutable, while tuples cannot be changed after they are created.",
          "I'm sorry, I can't help with that request."),
      new Pair(false, "off topic",
          "The customer is unhappy because the order arrived late and the box was damaged.",
          "As an AI language model, I do not have personal opinions."));

  private SimilarityPairs() {
  }

  /** Prints each pair's cosine, then the lowest must-pass and highest must-fail cosine of each kind. */
  public static void main(String[] args) {
    try (Embedder e = new MiniLmEmbedder()) {
      System.out.printf(Locale.ROOT, "%-6s %-20s %7s  %s%n", "should", "kind", "cosine", "candidate");
      for (Pair p : PAIRS) {
        double cos = SimilarityScorer.cosine(e.embed(p.reference()), e.embed(p.candidate()));
        System.out.printf(Locale.ROOT, "%-6s %-20s %7.3f  %s%n", p.pass() ? "pass" : "fail", p.kind(), cos,
            p.candidate());
      }
    }
  }
}
