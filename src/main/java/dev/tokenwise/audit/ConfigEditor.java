package dev.tokenwise.audit;

import dev.tokenwise.config.ConfigException;
import dev.tokenwise.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes one policy key into a config file for one pattern's calls, changing nothing else the config
 * does (see {@link PolicyEdit} for where the key goes). The new text is loaded by the config loader with
 * the same environment before it replaces the file, and is refused with the loader's problems when it
 * would not load; the file is replaced in one atomic move, so a running gateway's reloader reads either
 * the old file or the new one, never a part.
 */
public final class ConfigEditor {
  private final Path file;
  private final Map<String, String> env;

  /**
   * @param file the config file; it is created when it does not exist
   * @param env the environment its {@code ${ENV}} references are read from, as {@code serve} has it
   */
  public ConfigEditor(Path file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Why a change was not written. */
  public static final class Refused extends RuntimeException {
    private final boolean badInput;

    Refused(String message, boolean badInput) {
      super(message);
      this.badInput = badInput;
    }

    /** True when the file cannot be used as it is (it does not load, say); false when the change was refused. */
    public boolean badInput() {
      return badInput;
    }
  }

  /**
   * The file's policies as the config loader reads them; none when the file does not exist.
   *
   * @throws Refused when the file does not load as it is
   */
  public List<Map<String, Object>> policies() {
    return read().policies();
  }

  /** Whether the first policy matching the pattern's calls already sets {@code key} to {@code value}. */
  public boolean applied(PatternFacts facts, String key, Object value) {
    return Applied.applied(policies(), facts, key, value);
  }

  /**
   * Gives the pattern's calls {@code key: value} and says what changed, e.g. {@code policies[0] (match
   * pattern faq-bot): cache set to { exact: true, ttl: 1h }}. Writes nothing, and says so, when the
   * config already gives them that.
   *
   * @throws Refused when the file does not load as it is, when the change would make it fail to load
   *     (with the loader's problems), or when it cannot be written
   */
  public String apply(PatternFacts facts, String key, Object value) {
    if (key == null || key.isBlank() || key.equals("match") || facts.pattern() == null || facts.pattern().isBlank()) {
      throw new Refused("a recommendation needs a pattern and a policy key other than 'match'", true);
    }
    Current current = read();
    int first = Applied.firstMatch(current.policies(), facts);
    if (Applied.applied(current.policies(), facts, key, value)) {
      return "policies[" + first + "] already gives pattern " + facts.pattern() + " " + key + " "
          + YamlValues.flow(value) + "; nothing written";
    }
    PolicyEdit.Result edit;
    try {
      edit = PolicyEdit.plan(current.text(), current.policies(), facts, key, value);
    } catch (Refused e) {
      throw e;
    } catch (RuntimeException e) {
      throw new Refused("apply cannot edit " + file.getFileName() + " (" + e.getMessage() + ")", false);
    }
    write(current, edit.text(), facts, key, value);
    return current.text() == null ? "created " + file + ": " + edit.description() : edit.description();
  }

  /** The file's text and policies, or none when there is no file. */
  private record Current(Path target, String text, byte[] bytes, List<Map<String, Object>> policies) {}

  private Current read() {
    Path target = target();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(target);
    } catch (NoSuchFileException e) {
      return new Current(target, null, null, List.of());
    } catch (IOException e) {
      throw new Refused("cannot read " + file + ": " + e.getMessage(), true);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Refused(file + " is not UTF-8 text", true);
    }
    try {
      return new Current(target, text, bytes, ConfigLoader.load(target, env).policies());
    } catch (ConfigException e) {
      throw new Refused(file + " does not load as it is, so apply leaves it alone; fix it first:"
          + problems(e), true);
    }
  }

  /** The file to replace: a symbolic link's target, so the link stays. */
  private Path target() {
    try {
      return Files.isSymbolicLink(file) ? file.toRealPath() : file;
    } catch (IOException e) {
      throw new Refused("cannot follow the link " + file + ": " + e.getMessage(), true);
    }
  }

  private void write(Current current, String text, PatternFacts facts, String key, Object value) {
    Path target = current.target().toAbsolutePath();
    Path dir = target.getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        List<Map<String, Object>> after = ConfigLoader.load(temp, env).policies();
        if (!Applied.applied(after, facts, key, value)) {
          throw new Refused("the change would not reach the calls of pattern " + facts.pattern()
              + " (another policy would still match them first); nothing written", false);
        }
      } catch (ConfigException e) {
        throw new Refused(file + " would not load after the change, so it was left as it was:" + problems(e), false);
      }
      keepPermissions(current.bytes() == null ? null : target, temp);
      if (!unchanged(current)) {
        throw new Refused(file + " changed while apply was editing it; nothing written, run apply again", false);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new Refused("cannot replace " + file + " in one step on this file system; nothing written", false);
    } catch (IOException e) {
      throw new Refused("cannot write " + file + ": " + e.getMessage(), false);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a leftover hidden temp file is harmless; the config itself is untouched
        }
      }
    }
  }

  /** The old file's permissions, or a new file's usual ones (a temp file is readable by its owner only). */
  private static void keepPermissions(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(from == null ? PosixFilePermissions.fromString("rw-r--r--")
          : Files.getFileAttributeView(from, PosixFileAttributeView.class).readAttributes().permissions());
    }
  }

  private static boolean unchanged(Current current) throws IOException {
    if (current.bytes() == null) {
      return !Files.exists(current.target());
    }
    try {
      return Arrays.equals(Files.readAllBytes(current.target()), current.bytes());
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static String problems(ConfigException e) {
    return "\n  " + String.join("\n  ", e.problems());
  }
}
