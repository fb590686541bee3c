package dev.tokenwise.cli;

import java.io.PrintStream;

/** The commands that read the request log: {@code audit}, {@code apply}, {@code demo}. */
final class AuditCommands {
  private AuditCommands() {}

  static int audit(Args a, PrintStream out, PrintStream err) {
    err.println("tokenwise: audit is not available in this build");
    return 1;
  }

  static int apply(Args a, PrintStream out, PrintStream err) {
    err.println("tokenwise: apply is not available in this build");
    return 1;
  }

  static int demo(Args a, PrintStream out, PrintStream err) {
    err.println("tokenwise: demo is not available in this build");
    return 1;
  }
}
