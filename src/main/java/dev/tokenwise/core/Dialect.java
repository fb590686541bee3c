package dev.tokenwise.core;

/** The wire format a client speaks to the gateway, or a provider speaks upstream. */
public enum Dialect {
  OPENAI("openai-chat"),
  ANTHROPIC("anthropic-messages");

  private final String id;

  Dialect(String id) {
    this.id = id;
  }

  /** The name used in logs, the store and response headers. */
  public String id() {
    return id;
  }

  /** The dialect of a stored id ({@code openai-chat}, {@code anthropic-messages}), or null for another. */
  public static Dialect fromId(String id) {
    for (Dialect d : values()) {
      if (d.id.equals(id)) {
        return d;
      }
    }
    return null;
  }
}
