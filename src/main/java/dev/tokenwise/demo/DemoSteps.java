package dev.tokenwise.demo;

/**
 * What the demo does between and after its two months of traffic: the audit of the first month and the
 * changes it applies to the config file, then whatever is to be said about the second. Both run on the
 * runner's thread with the gateway up; the log holds every row of the months before them.
 */
public interface DemoSteps {

  /** Steps that do nothing: both months run through the config as the runner wrote it. */
  DemoSteps NONE = new DemoSteps() {
    @Override
    public void afterFirstMonth(DemoContext ctx) {}

    @Override
    public void afterSecondMonth(DemoContext ctx) {}
  };

  /**
   * Runs when the first month is in the log and the clock reads the start of the second. Changes
   * written to {@link DemoContext#configFile()} here are in force for the whole second month: the
   * runner waits until the gateway has reloaded them, and fails when it refuses them.
   */
  void afterFirstMonth(DemoContext ctx);

  /** Runs when the second month is in the log, before the runner prints the bills side by side. */
  void afterSecondMonth(DemoContext ctx);
}
