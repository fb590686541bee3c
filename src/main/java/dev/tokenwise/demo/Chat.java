package dev.tokenwise.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One support conversation: its user messages, drawn from its seed, and the simulator's answers as
 * they come, so that every turn sends the whole history with the real answers in it. Turns are
 * sequential: a turn waits until the one before it has its answer (or failed).
 */
final class Chat {
  private final long seed;
  private final String[] answers;
  private final CountDownLatch[] done;

  Chat(long seed, int turns) {
    this.seed = seed;
    this.answers = new String[turns];
    this.done = new CountDownLatch[turns];
    for (int i = 0; i < turns; i++) {
      done[i] = new CountDownLatch(1);
    }
  }

  int turns() {
    return answers.length;
  }

  /** The user's message at a turn: the problem first, follow-ups after. */
  String user(int turn) {
    Random r = new Random(seed * 31 + turn);
    return turn == 0 ? Texts.chatOpening(r) : Texts.chatFollowUp(r);
  }

  /**
   * The history a turn sends after the system prompt: every earlier user message with its answer (a
   * failed turn leaves its question unanswered), then this turn's message. Each entry is a
   * role and a text.
   */
  synchronized List<String[]> history(int turn) {
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < turn; i++) {
      out.add(new String[] {"user", user(i)});
      if (answers[i] != null) {
        out.add(new String[] {"assistant", answers[i]});
      }
    }
    out.add(new String[] {"user", user(turn)});
    return out;
  }

  /** Waits until the turn before {@code turn} is over; false when that took longer than {@code timeout}. */
  boolean awaitTurn(int turn, Duration timeout) throws InterruptedException {
    return turn == 0 || done[turn - 1].await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records the end of a turn: its answer, or null when the call failed. */
  void finished(int turn, String answer) {
    synchronized (this) {
      answers[turn] = answer;
    }
    done[turn].countDown();
  }
}
