package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The compact binary form of a {@link CachedAnswer}, for stores that keep bytes (Redis, its feed): a
 * version byte, then the fields in record order. Strings are UTF-8 with an int length, -1 for null;
 * the embedding an int count (-1 for null) and its floats; usage a presence byte and its figures.
 * A reader that meets another version refuses it, and the caller treats the entry as a miss.
 */
public final class AnswerCodec {

  /** The format written now; bump it when the layout changes. */
  static final byte VERSION = 1;

  private AnswerCodec() {}

  /** The answer as bytes. */
  public static byte[] encode(CachedAnswer a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(a.weight(), 1 << 20));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      string(out, a.key());
      string(out, a.tenant());
      string(out, a.pattern());
      string(out, a.dialect());
      string(out, a.scope());
      string(out, a.query());
      float[] e = a.embedding();
      out.writeInt(e == null ? -1 : e.length);
      if (e != null) {
        for (float f : e) {
          out.writeFloat(f);
        }
      }
      blob(out, a.body());
      string(out, a.model());
      string(out, a.finishReason());
      Usage u = a.usage();
      out.writeBoolean(u != null);
      if (u != null) {
        out.writeLong(u.inputTokens());
        out.writeLong(u.cachedInputTokens());
        out.writeLong(u.cacheWrite5mTokens());
        out.writeLong(u.cacheWrite1hTokens());
        out.writeLong(u.outputTokens());
        out.writeLong(u.reasoningTokens());
        out.writeBoolean(u.estimated());
      }
      out.writeLong(a.costPicoUsd());
      out.writeLong(a.baselinePicoUsd());
      out.writeLong(a.createdMillis());
      out.writeLong(a.expiresMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /** The answer that {@link #encode} wrote. */
  public static CachedAnswer decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * The answer written in {@code length} bytes from {@code offset}.
   *
   * @throws IllegalArgumentException when the bytes are of another version, cut short or corrupt
   */
  public static CachedAnswer decode(byte[] bytes, int offset, int length) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("cached answer in format " + version + ", this gateway reads "
            + VERSION);
      }
      String key = string(in);
      String tenant = string(in);
      String pattern = string(in);
      String dialect = string(in);
      String scope = string(in);
      String query = string(in);
      int n = in.readInt();
      float[] embedding = null;
      if (n >= 0) {
        check(4L * n <= in.available(), "embedding");
        embedding = new float[n];
        for (int i = 0; i < n; i++) {
          embedding[i] = in.readFloat();
        }
      } else {
        check(n == -1, "embedding");
      }
      byte[] body = blob(in);
      String model = string(in);
      String finishReason = string(in);
      Usage usage = in.readBoolean()
          ? new Usage(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
              in.readBoolean())
          : null;
      CachedAnswer a = new CachedAnswer(key, tenant, pattern, dialect, scope, query, embedding, body, model,
          finishReason, usage, in.readLong(), in.readLong(), in.readLong(), in.readLong());
      check(in.available() == 0, "end");
      return a;
    } catch (IOException e) {
      throw new IllegalArgumentException("cached answer cut short", e);
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    blob(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void blob(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = blob(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] blob(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    // Checked before allocating, so a corrupt length cannot ask for gigabytes.
    check(n >= 0 && n <= in.available(), "length");
    return in.readNBytes(n);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("corrupt cached answer (" + what + ")");
    }
  }
}
