package dev.tokenwise.core;

/**
 * One server-sent event as it came off the wire.
 *
 * @param event the {@code event:} name, or null when the event had none (OpenAI)
 * @param data the joined {@code data:} lines, or null for a comment-only block
 * @param raw the exact bytes of the block including its terminating blank line, for verbatim relay
 */
public record SseEvent(String event, String data, byte[] raw) {

  /** True for a block of comment lines only (keep-alives). */
  public boolean isComment() {
    return data == null && event == null;
  }
}
