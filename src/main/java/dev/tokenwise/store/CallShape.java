package dev.tokenwise.store;

/**
 * What the audit needs to know of a call's bodies, kept beside its row as numbers so that the audit never
 * reads a body: hashes say "the same as another call" without saying what either was. Kept even when
 * bodies are not stored. A hash of 0 means there was nothing to hash (no prompt prefix, no answer).
 *
 * @param requestHash the call as the client sent it, less the fields that cannot change the answer
 *     ({@code stream}, {@code stream_options}, {@code user}, {@code metadata}, {@code store}): equal for
 *     exact repeats
 * @param queryHash the conversation before the last user message, with that message's words lower-cased,
 *     their plural {@code s} dropped, stop words left out and the rest sorted: equal for repeats that
 *     reword a question with the same content words
 * @param prefixHash the stable head of the prompt (tool definitions and system prompt) byte for byte
 * @param prefixMaskedHash the same head with numbers, ids, dates and quoted values masked: equal to
 *     another call's while {@code prefixHash} differs means the prefix is not byte-stable
 * @param prefixTokens the head's size in tokens (o200k count)
 * @param turns the user messages in the conversation, the last one included
 * @param maxTokens the output cap the client asked for, or -1 when it set none
 * @param answerHash the answer's text and tool calls, or 0 when there was none (an error)
 * @param flags {@link #REPEATABLE}, {@link #JSON_OUTPUT}, {@link #TOOLS}
 */
public record CallShape(
    long requestHash,
    long queryHash,
    long prefixHash,
    long prefixMaskedHash,
    int prefixTokens,
    int turns,
    int maxTokens,
    long answerHash,
    int flags) {

  /** Temperature 0, a seed, or Anthropic's {@code top_k: 1}: the same call should get the same answer. */
  public static final int REPEATABLE = 1;
  /** The client asked for a JSON answer ({@code response_format} json_object or json_schema). */
  public static final int JSON_OUTPUT = 2;
  /** The call offered tools. */
  public static final int TOOLS = 4;

  public boolean repeatable() {
    return (flags & REPEATABLE) != 0;
  }

  public boolean jsonOutput() {
    return (flags & JSON_OUTPUT) != 0;
  }

  public boolean tools() {
    return (flags & TOOLS) != 0;
  }

  /** The bytes the request log keeps: 56, big-endian, in component order. */
  static final int BYTES = 56;

  /** This shape as the request log keeps it. */
  public byte[] toBytes() {
    return java.nio.ByteBuffer.allocate(BYTES).putLong(requestHash).putLong(queryHash).putLong(prefixHash)
        .putLong(prefixMaskedHash).putInt(prefixTokens).putInt(turns).putInt(maxTokens).putLong(answerHash)
        .putInt(flags).array();
  }

  /** The shape kept as {@link #toBytes()} wrote it, or null for none or bytes of another length. */
  public static CallShape fromBytes(byte[] b) {
    if (b == null || b.length != BYTES) {
      return null;
    }
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    return new CallShape(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getInt(),
        in.getInt(), in.getLong(), in.getInt());
  }
}
