package dev.tokenwise.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps the huge string values of a JSON body (base64 images and documents) out of its parsed tree.
 * Parsing a string materialises it twice over (a UTF-16 buffer, then the String), so a 30 MB image
 * would cost four times its size in heap; instead each string value longer than a threshold is
 * replaced in a slim copy of the body by a placeholder naming a per-body nonce, the slim copy is
 * parsed, and when the tree has to be written again the placeholders are swapped back for the
 * original bytes. Bodies without such strings are left as they are, at the cost of one scan.
 */
public final class LargeStrings {
  private final byte[] raw;
  private final byte[] slim;
  private final List<int[]> ranges;
  private final byte[] marker;

  private LargeStrings(byte[] raw, byte[] slim, List<int[]> ranges, byte[] marker) {
    this.raw = raw;
    this.slim = slim;
    this.ranges = ranges;
    this.marker = marker;
  }

  /** Scans a body for string values longer than {@code threshold} bytes (quotes included). */
  public static LargeStrings of(byte[] raw, int threshold) {
    List<int[]> ranges = new ArrayList<>(2);
    boolean inString = false;
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
          if (i - start + 1 > threshold) {
            ranges.add(new int[] {start, i + 1});
          }
        }
      } else if (b == '"') {
        inString = true;
        start = i;
      }
    }
    if (ranges.isEmpty()) {
      return new LargeStrings(raw, raw, List.of(), null);
    }
    byte[] marker = ("\"tw-large-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "-")
        .getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 16 + 256);
    int at = 0;
    for (int k = 0; k < ranges.size(); k++) {
      int[] r = ranges.get(k);
      out.write(raw, at, r[0] - at);
      out.writeBytes(marker);
      out.writeBytes((k + "\"").getBytes(StandardCharsets.US_ASCII));
      at = r[1];
    }
    out.write(raw, at, raw.length - at);
    return new LargeStrings(raw, out.toByteArray(), List.copyOf(ranges), marker);
  }

  /** The body to parse: the original when it held no large string. */
  public byte[] slim() {
    return slim;
  }

  /** Whether any string was set aside. */
  public boolean any() {
    return !ranges.isEmpty();
  }

  /**
   * The original bytes (quotes and escapes included) of the string a placeholder value stands for, or
   * null when {@code value} is no placeholder of this body.
   */
  public byte[] originalOf(String value) {
    if (ranges.isEmpty() || value.length() <= marker.length - 1 || !value.startsWith(markerText())) {
      return null;
    }
    int n;
    try {
      n = Integer.parseInt(value.substring(marker.length - 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (n < 0 || n >= ranges.size()) {
      return null;
    }
    int[] r = ranges.get(n);
    return java.util.Arrays.copyOfRange(raw, r[0], r[1]);
  }

  /** The placeholder's prefix as it reads once parsed (without the opening quote). */
  private String markerText() {
    return new String(marker, 1, marker.length - 1, StandardCharsets.US_ASCII);
  }

  /** A written tree with every placeholder replaced by the original string's bytes. */
  public byte[] restore(byte[] written) {
    if (ranges.isEmpty()) {
      return written;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + written.length);
    int at = 0;
    for (int i = indexOf(written, marker, 0); i >= 0; i = indexOf(written, marker, at)) {
      int end = i + marker.length;
      int n = 0;
      while (end < written.length && written[end] >= '0' && written[end] <= '9') {
        n = n * 10 + (written[end] - '0');
        end++;
      }
      if (end >= written.length || written[end] != '"' || n >= ranges.size()) {
        out.write(written, at, end - at);
        at = end;
        continue;
      }
      int[] r = ranges.get(n);
      out.write(written, at, i - at);
      out.write(raw, r[0], r[1] - r[0]);
      at = end + 1;
    }
    out.write(written, at, written.length - at);
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
