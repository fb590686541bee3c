package dev.tokenwise.demo;

import dev.tokenwise.core.Dialect;
import java.time.Instant;

/**
 * One call of the replayed traffic: when it is made, by which pattern, to which model, and what its
 * body is made from. Bodies are built when the call is made (a month of them would not fit in memory
 * at once); a support-chat turn's body carries the answers its conversation got so far.
 */
public final class DemoCall {
  private final Instant at;
  private final String tag;
  private final String model;
  private final Dialect dialect;
  private final boolean stream;
  private final long seed;
  private final Chat chat;
  private final int turn;

  DemoCall(Instant at, String tag, String model, Dialect dialect, boolean stream, long seed, Chat chat, int turn) {
    this.at = at;
    this.tag = tag;
    this.model = model;
    this.dialect = dialect;
    this.stream = stream;
    this.seed = seed;
    this.chat = chat;
    this.turn = turn;
  }

  /** When the call is made, in simulated time. */
  public Instant at() {
    return at;
  }

  /** The call pattern, sent as {@code X-Tokenwise-Tag}. */
  public String tag() {
    return tag;
  }

  /** The model the client asks for. */
  public String model() {
    return model;
  }

  /** The wire format the client speaks. */
  public Dialect dialect() {
    return dialect;
  }

  /** Whether the client asks for a stream. */
  public boolean stream() {
    return stream;
  }

  /** The path the call goes to on the gateway. */
  public String path() {
    return dialect == Dialect.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions";
  }

  /** The request body as sent, built now (a conversation's turn from the answers it got so far). */
  public String body() {
    return Bodies.of(this);
  }

  long seed() {
    return seed;
  }

  /** The conversation this call is a turn of, or null for a call on its own. */
  Chat chat() {
    return chat;
  }

  int turn() {
    return turn;
  }

  @Override
  public String toString() {
    return at + " " + tag + " " + model + (chat == null ? "" : " turn " + (turn + 1) + "/" + chat.turns());
  }
}
