package dev.tokenwise.policy;

/**
 * One upstream attempt of a call, as the request log keeps it.
 *
 * @param number 1 for the first attempt
 * @param provider the provider asked
 * @param model the model asked, as the provider names it
 * @param status the provider's HTTP status, or 0 when none came (connection failure, timeout)
 * @param latencyMillis from sending the request to the end of the attempt
 * @param outcome {@code ok} (answered), {@code failed} (a transient failure), {@code rejected} (an error
 *     that went back to the client), {@code broken} (a stream that failed after it reached the client) or
 *     {@code cancelled} (the client left)
 * @param error what went wrong, or null
 * @param costPicoUsd what the attempt was billed, or null when unknown (a failure without usage costs 0)
 */
public record Attempt(int number, String provider, String model, int status, long latencyMillis, String outcome,
    String error, Long costPicoUsd) {

  /** The attempt on one line: {@code attempt 1 openai/gpt-4o: 503 (The server is overloaded) in 120 ms}. */
  public String describe() {
    String what = status > 0 ? Integer.toString(status) : "no answer";
    if (error != null && !"ok".equals(outcome)) {
      what += " (" + error + ")";
    }
    return "attempt " + number + " " + provider + "/" + model + ": " + what + " in " + latencyMillis + " ms";
  }

  /** The same attempt, billed {@code cost}. */
  Attempt priced(Long cost) {
    return new Attempt(number, provider, model, status, latencyMillis, outcome, error, cost);
  }
}
