package dev.tokenwise.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One gateway and simulator for all tests of a class; the simulator's rules are reset before each. */
abstract class SharedGateway {
  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void startGateway() {
    h = new GatewayHarness(dir);
  }

  @AfterAll
  static void stopGateway() {
    h.close();
  }

  @BeforeEach
  void resetSimulator() {
    h.sim.reset();
  }
}
