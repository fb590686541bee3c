package dev.tokenwise.policy;

/** Names the call pattern: the client's tag when it sent one, otherwise the fingerprint. */
final class Identify implements Stage {
  private final PatternFingerprint fingerprint = new PatternFingerprint();

  @Override
  public String name() {
    return "identify";
  }

  @Override
  public void before(Exchange ex) {
    ex.pattern(ex.tag() != null ? ex.tag() : fingerprint.of(ex.dialect(), ex.body()));
  }
}
