package dev.tokenwise.app;

import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigException;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.policy.Policies;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

/**
 * Watches the config file and puts its policies in force when it changes, without a restart and without
 * touching requests in flight. A file with an error is refused with its problems (key and line) in the
 * log, and the policies before it stay in force. Other settings need a restart, and the log says so.
 */
final class PolicyReloader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PolicyReloader.class.getName());
  private final Path file;
  private final Map<String, String> env;
  private final Pipeline pipeline;
  private final java.util.function.Consumer<Policies> onReload;
  private final Duration every;
  private final Thread thread;
  private volatile boolean closed;
  private FileTime seen;
  private volatile FileTime inForce;
  private Config current;

  PolicyReloader(Path file, Map<String, String> env, Pipeline pipeline, Config loaded, Duration every) {
    this(file, env, pipeline, loaded, every, policies -> { });
  }

  /**
   * @param onReload told of every new set of policies once it is in force (the semantic cache loads its
   *     model when a policy starts to use it)
   */
  PolicyReloader(Path file, Map<String, String> env, Pipeline pipeline, Config loaded, Duration every,
      java.util.function.Consumer<Policies> onReload) {
    this.onReload = onReload;
    this.file = file;
    this.env = env;
    this.pipeline = pipeline;
    this.every = every;
    this.current = loaded;
    this.seen = modified();
    this.inForce = seen;
    this.thread = Thread.ofVirtual().name("tokenwise-policy-reload").start(this::run);
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      FileTime now = modified();
      if (now != null && !now.equals(seen)) {
        seen = now;
        reload(now);
      }
    }
  }

  /**
   * The modification time of the file version whose policies are in force: the one read at start, or
   * the last one reloaded without an error.
   */
  FileTime inForce() {
    return inForce;
  }

  /** Loads the file once and says whether its policies are in force; public to the package so a test can force it. */
  boolean reload() {
    return reload(modified());
  }

  /**
   * Loads the file, read as of {@code version}, and says whether its policies are in force; the version
   * in force changes with them, so that whoever sees the new policies at work also sees their version.
   */
  private boolean reload(FileTime version) {
    try {
      Config next = ConfigLoader.load(file, env);
      Policies policies = Policies.of(next.policies());
      pipeline.replacePolicies(policies);
      if (version != null) {
        inForce = version;
      }
      onReload.accept(policies);
      LOG.log(Level.INFO, "policies reloaded from {0}: {1} in force", file, next.policies().size());
      if (!sameApartFromPolicies(current, next)) {
        LOG.log(Level.WARNING, "{0} changed more than its policies; restart serve for the other settings", file);
      }
      current = next;
      return true;
    } catch (ConfigException e) {
      LOG.log(Level.WARNING, "{0} was not reloaded, the policies before it stay in force: {1}", file,
          e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "{0} could not be read; the policies before it stay in force ({1})", file,
          e.getClass().getSimpleName());
    }
    return false;
  }

  private static boolean sameApartFromPolicies(Config a, Config b) {
    return a.server().equals(b.server()) && a.store().equals(b.store()) && a.providers().equals(b.providers())
        && a.models().equals(b.models()) && a.prices().equals(b.prices()) && a.auth().equals(b.auth())
        && a.log().equals(b.log());
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
