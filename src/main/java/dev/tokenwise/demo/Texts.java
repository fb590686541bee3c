package dev.tokenwise.demo;

import java.time.LocalDate;
import java.util.Random;

/**
 * The words of the demo's traffic: support tickets, invoices, nightly account reports, chat messages
 * and documentation questions, each drawn from a {@link Random} (whose algorithm the JDK specifies, so
 * that a seed gives the same month on every JDK). Lengths are in the simulator's tokens: a run of
 * letters and digits, or a run of other non-space characters.
 */
final class Texts {
  static final String COMPANY = "Larkspur Cloud";

  private static final String[] PRODUCTS = {"Larkspur Storage", "Larkspur Compute", "Larkspur Mail",
      "Larkspur Analytics", "Larkspur Backup", "Larkspur Functions", "the console", "the mobile app"};
  private static final String[] PLANS = {"Starter", "Team", "Business", "Enterprise"};
  private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south",
      "ap-northeast"};
  private static final String[] NAMES = {"Maria Keller", "Tom Okafor", "Aiko Tanaka", "Luis Romero",
      "Priya Natarajan", "Jonas Berg", "Chloe Martin", "Samir Haddad", "Emma Novak", "Daniel Weiss"};
  private static final String[] SERVICES = {"storage-api", "auth-gateway", "billing-worker",
      "mail-relay", "compute-scheduler", "backup-agent", "metrics-ingest", "webhook-dispatcher"};

  private static final String[] TICKET = {
      "I was charged {amount} twice for the {plan} plan this month.",
      "Since yesterday the {product} dashboard shows an error when I open the billing page.",
      "Our team of {n} people cannot log in after the password reset you forced on {date}.",
      "Could you add an export to CSV for the usage report? Our finance team needs it every month.",
      "Order {order} has not arrived yet although the tracking page says it was delivered on {date}.",
      "The API returns 502 errors for about {pct} percent of our requests in {region}.",
      "I would like to move from the {plan} plan to a cheaper one before the next invoice.",
      "We tried the steps from your documentation twice and nothing changed.",
      "This is blocking our release, so an answer today would help a lot.",
      "Please also check whether the invoice for {date} was sent to the right address.",
      "The mobile app crashes right after the splash screen on Android 14.",
      "Two of my colleagues receive the verification email, but the link has expired when they click it.",
      "Is there a way to set a spending limit per project so that this does not happen again?",
      "Latency from {region} went from about 40 ms to {ms} ms after your maintenance window.",
      "The errors in the log below start at the same time every night.",
      "My account {order} was suspended without any warning and I cannot reach my data.",
      "The {product} integration with our single sign-on stopped working after we renewed the certificate.",
      "We are a {plan} customer and we expected a reply within four hours according to our contract.",
      "Could you confirm whether VAT is included in the amount of {amount}?",
      "The pricing page says {amount} per seat, but we were billed a different figure.",
      "After the upgrade, uploads to {product} larger than {n} MB fail with a timeout.",
      "Thanks for your help last time; this is a different problem with the same project.",
      "We would love a dark mode in the console, several of us work at night.",
      "I deleted a bucket by mistake on {date}; is there any way to restore it?",
      "Please send the shipping label for the return of order {order}.",
      "Our webhook endpoint receives every event twice since {date}.",
      "Nothing in our configuration changed on our side, we checked the history.",
      "The status page shows everything green, but {product} is clearly degraded for us.",
      "We need an answer before our board meeting on {date}.",
      "I already opened a ticket about this last week and got no reply."};

  private static final String[] FOLLOW_UP = {
      "I tried that, but it still fails with the same message.",
      "Here is the error I see now: {log}",
      "Ok, and what about the invoice for {date}?",
      "Can you escalate this to a human, please?",
      "Thanks, that worked. One more question about {product}.",
      "Which plan would you recommend for a team of {n} people?",
      "It happens in {region} only, the other regions are fine.",
      "We restarted everything and cleared the cache, no change.",
      "Is there a workaround until the fix is deployed?",
      "How long will the refund of {amount} take to reach our account?",
      "Sorry, I meant order {order}, not the one I wrote before.",
      "Could you send me a link to the documentation page for that?"};

  private static final String[] REPORT = {
      "Usage of {product} grew by {pct} percent compared with the day before.",
      "One incident was opened at {hh}:{mm} UTC after error rates rose in {region} and closed {n} minutes later.",
      "No incident was opened; all checks passed within their thresholds.",
      "The account stayed below its monthly budget, with {amount} spent so far.",
      "A deployment of {service} version {n}.{n}.{n} reached {region} at {hh}:{mm} UTC.",
      "Storage used rose to {n} GB, mostly from nightly backups of the production database.",
      "Two users were added to the {plan} plan seats and one was removed.",
      "The support queue of this account holds {n} open tickets, the oldest from {date}.",
      "Latency at the 99th percentile reached {ms} ms during the evening peak.",
      "A certificate of the custom domain expires on {date} and renewal is scheduled.",
      "Failed logins went up to {n}, most of them from one address range now blocked.",
      "The backup job finished in {n} minutes and its restore test passed."};

  private static final String[] ITEMS = {"Cloud storage, 1 TB tier", "Compute hours, standard",
      "Support plan, monthly", "Data transfer out, per GB", "Mail seats", "Backup retention, 90 days",
      "Consulting, hourly rate", "Hardware security key", "Training session, half day",
      "Domain renewal", "Monitoring add-on", "Priority incident response"};

  /**
   * Sentences filled in advance with their token counts: a month's calls pick from these, so that
   * building a body costs string appends rather than thousands of template fills.
   */
  record Lines(String[] text, int[] tokens) {
    /** {@code n} fills of the templates, drawn from {@code seed}. */
    static Lines of(String[] templates, int n, long seed) {
      Random r = new Random(seed);
      String[] text = new String[n];
      int[] tokens = new int[n];
      for (int i = 0; i < n; i++) {
        text[i] = fill(Texts.pick(templates, r), r);
        tokens[i] = Texts.tokens(text[i]);
      }
      return new Lines(text, tokens);
    }

    private static Lines logs(int n, long seed) {
      Random r = new Random(seed);
      String[] text = new String[n];
      int[] tokens = new int[n];
      for (int i = 0; i < n; i++) {
        text[i] = logLine(r);
        tokens[i] = Texts.tokens(text[i]);
      }
      return new Lines(text, tokens);
    }

    int pick(Random r) {
      return r.nextInt(text.length);
    }
  }

  private static final Lines TICKET_LINES = Lines.of(TICKET, 3000, 11);
  private static final Lines FOLLOW_UP_LINES = Lines.of(FOLLOW_UP, 600, 12);
  private static final Lines REPORT_LINES = Lines.of(REPORT, 2000, 13);
  private static final Lines LOG_LINES = Lines.logs(3000, 14);

  private Texts() {}

  /** The simulator's token count of a text. */
  static int tokens(String text) {
    int n = 0;
    int i = 0;
    int len = text.length();
    while (i < len) {
      int cp = text.codePointAt(i);
      if (Character.isWhitespace(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      boolean word = Character.isLetterOrDigit(cp);
      while (i < len) {
        int c = text.codePointAt(i);
        if (Character.isWhitespace(c) || Character.isLetterOrDigit(c) != word) {
          break;
        }
        i += Character.charCount(c);
      }
      n++;
    }
    return n;
  }

  /** A support ticket of 600 to 900 tokens: header, message, a log excerpt and a signature. */
  static String ticket(Random r, int id) {
    int target = 600 + r.nextInt(301);
    String name = pick(NAMES, r);
    StringBuilder sb = new StringBuilder();
    sb.append("Ticket #").append(40_000 + id).append(" from customer ").append(1000 + r.nextInt(9000))
        .append(" (plan: ").append(pick(PLANS, r)).append(", channel: email)\n");
    sb.append("Subject: ").append(TICKET_LINES.text()[TICKET_LINES.pick(r)]).append("\n\nHello,\n\n");
    int logs = 4 + r.nextInt(9);
    StringBuilder tail = new StringBuilder("\n\nLog excerpt:\n");
    for (int i = 0; i < logs; i++) {
      tail.append(LOG_LINES.text()[LOG_LINES.pick(r)]).append('\n');
    }
    tail.append("\nBest regards,\n").append(name);
    int have = tokens(sb.toString()) + tokens(tail.toString());
    sentences(sb, TICKET_LINES, r, target - have);
    return sb.append(tail).toString();
  }

  /** An invoice as OCR text, 300 to 650 tokens; {@code poorScan} marks a bad scan in its header. */
  static String invoice(Random r, int id, boolean poorScan) {
    String quality = poorScan ? "poor" : r.nextInt(4) == 0 ? "fair" : "good";
    StringBuilder sb = new StringBuilder();
    sb.append("INVOICE INV-").append(2026_00000 + id).append('\n');
    sb.append("Source: scanned PDF, scan quality: ").append(quality).append('\n');
    sb.append("Vendor: ").append(pick(new String[] {"Orbit Supplies GmbH", "Kestrel Networks Ltd",
        "Blue Fjord Consulting AS", "Maple Hardware Inc", "Sierra Office SARL"}, r)).append(", ")
        .append(10 + r.nextInt(180)).append(" Harbour Street, ").append(pick(new String[] {"Hamburg",
            "Leeds", "Bergen", "Toronto", "Lyon"}, r)).append('\n');
    sb.append("Bill to: ").append(COMPANY).append(" Ltd, accounts payable, reference PO-")
        .append(5000 + r.nextInt(5000)).append('\n');
    sb.append("Invoice date: ").append(date(r)).append("   Due date: ").append(date(r)).append('\n');
    sb.append("Currency: EUR\nLine items:\n");
    int items = 8 + r.nextInt(18);
    long subtotal = 0;
    for (int i = 0; i < items; i++) {
      int qty = 1 + r.nextInt(40);
      long unitCents = 500 + r.nextInt(60_000);
      subtotal += qty * unitCents;
      sb.append("  ").append(i + 1).append(". ").append(qty).append(" x ").append(pick(ITEMS, r))
          .append(" @ ").append(money(unitCents)).append(" = ").append(money(qty * unitCents)).append('\n');
    }
    long vat = subtotal / 5;
    sb.append("Subtotal: ").append(money(subtotal)).append("\nVAT 20%: ").append(money(vat))
        .append("\nTotal due: ").append(money(subtotal + vat)).append('\n');
    sb.append("Payment: bank transfer to IBAN DE").append(10 + r.nextInt(89)).append(" 5001 0517 ")
        .append(1000 + r.nextInt(9000)).append(" ").append(1000 + r.nextInt(9000))
        .append(", within 30 days. Late payments carry 1.5% interest per month.");
    return sb.toString();
  }

  /** A nightly account report of 1,500 to 3,000 tokens. */
  static String report(Random r, int account, LocalDate day) {
    int target = 1500 + r.nextInt(1501);
    StringBuilder sb = new StringBuilder();
    sb.append("Nightly account report: account ").append(account).append(", ").append(day).append('\n');
    sb.append("Plan: ").append(pick(PLANS, r)).append(", region: ").append(pick(REGIONS, r)).append("\n\n");
    sb.append("Metrics per service:\n");
    for (String service : SERVICES) {
      sb.append("  ").append(service).append(": requests ").append(1000 + r.nextInt(900_000))
          .append(", p50 ").append(5 + r.nextInt(60)).append(" ms, p99 ").append(80 + r.nextInt(900))
          .append(" ms, errors ").append(r.nextInt(300)).append('\n');
    }
    sb.append("\nEvents of the day:\n");
    int have = tokens(sb.toString());
    while (have < target) {
      int log = LOG_LINES.pick(r);
      int line = REPORT_LINES.pick(r);
      sb.append(LOG_LINES.text()[log]).append('\n').append(REPORT_LINES.text()[line]).append('\n');
      have += LOG_LINES.tokens()[log] + REPORT_LINES.tokens()[line];
    }
    return sb.toString().strip();
  }

  /** The first message of a support chat: a problem told in 2 to 6 sentences. */
  static String chatOpening(Random r) {
    StringBuilder sb = new StringBuilder(pick(new String[] {"Hi,", "Hello,", "Hi there!", "Good morning,"}, r));
    int n = 2 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(TICKET_LINES.text()[TICKET_LINES.pick(r)]);
    }
    return sb.toString();
  }

  /** A later message of a support chat: a follow-up, sometimes with details. */
  static String chatFollowUp(Random r) {
    StringBuilder sb = new StringBuilder(FOLLOW_UP_LINES.text()[FOLLOW_UP_LINES.pick(r)]);
    if (r.nextInt(3) == 0) {
      sb.append(' ').append(TICKET_LINES.text()[TICKET_LINES.pick(r)]);
    }
    return sb.toString();
  }

  /** A question about the product, as the documentation assistant gets them. */
  static String docQuestion(Random r) {
    String[] forms = {
        "How do I {task} in {product}?",
        "What is the limit for {limit} on the {plan} plan?",
        "Does {product} support {feature} in {region}?",
        "Why would {product} return error {code} when I {task}?",
        "Can I {task} with the API instead of the console?",
        "What happens to my data in {product} when I downgrade to the {plan} plan?"};
    return "Question about the product documentation: " + fill(pick(forms, r), r);
  }

  /**
   * Appends sentences from {@code pool} until they hold at least {@code target} tokens (white space
   * between them, so that their counts add up).
   */
  static void sentences(StringBuilder sb, Lines pool, Random r, int target) {
    int have = 0;
    while (have < target) {
      int i = pool.pick(r);
      sb.append(pool.text()[i]).append(r.nextInt(5) == 0 ? "\n\n" : " ");
      have += pool.tokens()[i];
    }
  }

  static String pick(String[] pool, Random r) {
    return pool[r.nextInt(pool.length)];
  }

  /** Fills the {slots} of a template with values drawn from {@code r}. */
  static String fill(String template, Random r) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        out.append(template, i, template.length());
        break;
      }
      int close = template.indexOf('}', open);
      out.append(template, i, open);
      out.append(slot(template.substring(open + 1, close), r));
      i = close + 1;
    }
    return out.toString();
  }

  private static String slot(String name, Random r) {
    return switch (name) {
      case "product" -> pick(PRODUCTS, r);
      case "plan" -> pick(PLANS, r);
      case "region" -> pick(REGIONS, r);
      case "name" -> pick(NAMES, r);
      case "service" -> pick(SERVICES, r);
      case "n" -> Integer.toString(2 + r.nextInt(97));
      case "pct" -> Integer.toString(1 + r.nextInt(40));
      case "ms" -> Integer.toString(90 + r.nextInt(2400));
      case "hh" -> two(r.nextInt(24));
      case "mm" -> two(r.nextInt(60));
      case "amount" -> money(1900 + r.nextInt(180_000)) + " EUR";
      case "order" -> "A-" + (100_000 + r.nextInt(900_000));
      case "date" -> date(r).toString();
      case "log" -> logLine(r);
      case "code" -> pick(new String[] {"403", "409", "413", "429", "500", "503"}, r);
      case "task" -> pick(new String[] {"rotate an API key", "restore a deleted bucket", "add a custom domain",
          "invite a teammate", "export the usage report", "set a spending limit", "enable two-factor login",
          "move a project to another region", "schedule a backup", "change the billing address",
          "connect single sign-on", "create a webhook", "resize a volume", "read the audit log"}, r);
      case "limit" -> pick(new String[] {"API requests per minute", "storage per project", "mail seats",
          "webhooks per project", "backup retention", "concurrent functions"}, r);
      case "feature" -> pick(new String[] {"object versioning", "IPv6", "customer-managed keys",
          "scheduled scaling", "private networking", "point-in-time restore"}, r);
      default -> throw new IllegalArgumentException("no slot named " + name);
    };
  }

  private static String logLine(Random r) {
    return date(r) + "T" + two(r.nextInt(24)) + ":" + two(r.nextInt(60)) + ":" + two(r.nextInt(60))
        + "Z ERROR " + pick(SERVICES, r) + " request " + Long.toHexString(r.nextLong() >>> 20)
        + " failed: upstream timeout after " + (1000 + r.nextInt(29_000)) + " ms (region " + pick(REGIONS, r) + ")";
  }

  private static LocalDate date(Random r) {
    return LocalDate.of(2026, 1, 1).plusDays(r.nextInt(365));
  }

  private static String money(long cents) {
    return cents / 100 + "." + two((int) (cents % 100));
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
