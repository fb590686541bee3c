package dev.tokenwise.eval;

import dev.tokenwise.core.Dialect;

/** How a sweep reaches a model: one whole (not streamed) chat call in a dialect, through the gateway's dispatch. */
public interface Caller {

  /** Sends {@code body} (which names the model) and waits for the whole answer. */
  Reply call(Dialect dialect, String model, byte[] body) throws InterruptedException;

  /**
   * What came back.
   *
   * @param status the HTTP status, 0 when no answer came
   * @param body the answer's body in {@code dialect}
   * @param costPicoUsd what the call cost, -1 when its price is unknown
   * @param error a short reason when no answer came, else null
   */
  record Reply(int status, byte[] body, long costPicoUsd, long latencyMillis, String error) {}
}
