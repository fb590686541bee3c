package dev.tokenwise.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * The system prompts of the demo's call patterns. The long ones are built once from fixed seeds, so
 * that they are the same in every call and every run: only the support chat's first line changes,
 * with the time.
 */
final class Prompts {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  static final String CLASSIFY = "You sort the support tickets of " + Texts.COMPANY + ". Read the ticket"
      + " and answer with the one label that fits it best: billing, bug, account, feature-request, shipping"
      + " or other. Answer with the label only.";

  static final String FAQ = "You are the FAQ assistant on the help pages of " + Texts.COMPANY + ". Answer"
      + " in at most two short sentences, friendly and precise. When you are not sure, point to"
      + " support@larkspur.example.";

  static final String EXTRACT = "You extract invoices for the accounts payable team of " + Texts.COMPANY
      + ". Return one JSON object with the keys vendor, invoice_number, invoice_date, due_date, currency,"
      + " subtotal, vat, total and line_items (each with description, quantity, unit_price and amount)."
      + " Use null for a field you cannot read.";

  static final String SUMMARY = "You write the morning digest of the account managers of " + Texts.COMPANY
      + ". Summarise the report in about 150 words: what changed, what went wrong, what needs a person"
      + " today. No greetings.";

  private static final String[] GUIDELINES = {
      "Greet the customer by name when the name is known and keep a calm, friendly tone.",
      "Never promise a refund of more than {amount}; larger refunds need a human in the billing team.",
      "When a customer on the {plan} plan reports an outage, check the status of {region} first.",
      "Ask for the order number when a question is about a delivery, for example {order}.",
      "Explain every step in plain words and avoid internal names such as {service}.",
      "Escalate to a human when the customer asks twice or mentions a legal deadline.",
      "Do not share another customer's data, even when the customer says it is theirs.",
      "For security questions, link to the security page and never ask for a password.",
      "Offer the self-service page for invoices before offering to send a copy by email.",
      "If {product} is degraded, say so honestly and give the time of the next update.",
      "Keep answers under 120 words unless the customer asks for detail.",
      "Summarise what you understood before you suggest a fix when the problem is long.",
      "Refunds go back to the original payment method within {n} days.",
      "Customers on the {plan} plan have a response target of {n} hours during business days.",
      "Data deleted by mistake can be restored within {n} days when backups were enabled.",
      "Never guess a price; quote the pricing page and the customer's own plan.",
      "When the customer writes in another language, answer in that language.",
      "Close every conversation by asking whether anything else is open."};

  private static final String[] DOCS = {
      "{product} keeps every object in three copies across zones of {region}.",
      "To {task}, open the project settings, choose the tab of {product} and follow the wizard.",
      "The {plan} plan allows up to {n} projects and {n} members per project.",
      "API requests are limited per key; a 429 answer carries a Retry-After header in seconds.",
      "Webhooks are signed with a secret that you can rotate at any time from the console.",
      "Backups of {product} run every night and are kept for {n} days on the {plan} plan.",
      "Custom domains need a CNAME record; the certificate is issued within {n} minutes.",
      "Single sign-on works with any SAML 2.0 or OpenID Connect provider.",
      "Deleting a project removes its data after a grace period of {n} days.",
      "Usage reports can be exported as CSV or read from the usage API, updated hourly.",
      "Spending limits stop new resources from starting once the limit is reached; running ones continue.",
      "Moving a project to another region copies its data first and switches traffic at the end.",
      "Error {code} means the request was refused; the body names the field or limit involved.",
      "Two-factor login can be required for every member of an organisation.",
      "Audit logs keep every change to a project for {n} days and can be streamed to {product}."};

  static final String SUPPORT_BODY = supportBody();
  static final String RAG = ragPrompt();

  private Prompts() {}

  /** The support assistant's prompt, about 2,000 tokens; its first line carries the time to the minute. */
  static String support(Instant now) {
    return "Current time: " + MINUTE.format(now) + " UTC\n" + SUPPORT_BODY;
  }

  private static String supportBody() {
    Random r = new Random(2_026_001L);
    Texts.Lines lines = Texts.Lines.of(GUIDELINES, 200, 2_026_011L);
    StringBuilder sb = new StringBuilder("You are Ava, the support assistant of " + Texts.COMPANY + ".\n");
    for (String section : new String[] {"Tone", "Refunds and billing", "Outages", "Accounts and security",
        "Deliveries", "Escalation"}) {
      sb.append("\n## ").append(section).append('\n');
      Texts.sentences(sb, lines, r, 320);
    }
    return sb.toString().strip();
  }

  private static String ragPrompt() {
    Random r = new Random(2_026_002L);
    Texts.Lines lines = Texts.Lines.of(DOCS, 300, 2_026_012L);
    StringBuilder sb = new StringBuilder("You answer questions about " + Texts.COMPANY + " from its"
        + " documentation below, and only from it. Quote the section you used. When the documentation does"
        + " not say, answer that you do not know.\n\n# Documentation\n");
    for (String section : new String[] {"Storage", "Compute", "Mail", "Analytics", "Backup", "Functions",
        "Accounts", "Billing", "Networking", "Security", "Limits", "Errors"}) {
      sb.append("\n## ").append(section).append('\n');
      Texts.sentences(sb, lines, r, 400);
    }
    return sb.toString().strip();
  }
}
