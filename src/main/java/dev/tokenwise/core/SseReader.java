package dev.tokenwise.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an event stream into events as the SSE specification frames them: lines end with LF, CRLF or
 * CR, a blank line ends an event, lines starting with ':' are comments, several {@code data:} lines
 * are joined with LF. Each event keeps its raw bytes so that a relay can forward it unchanged.
 */
public final class SseReader {
  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int len;
  private boolean eof;

  /** Reads from a provider's body. */
  public SseReader(InputStream in) {
    this.in = in;
  }

  /** Every event of a stream already held in memory, comment blocks included, in order. */
  public static List<SseEvent> readAll(byte[] stream) {
    SseReader reader = new SseReader(new ByteArrayInputStream(stream));
    List<SseEvent> events = new ArrayList<>();
    try {
      for (SseEvent e = reader.next(); e != null; e = reader.next()) {
        events.add(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array failed", e); // cannot happen
    }
    return events;
  }

  /**
   * The next event, or null at the end of the stream. A stream that ends in the middle of an event
   * returns what was read of it, unterminated.
   */
  public SseEvent next() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(256);
    String event = null;
    StringBuilder data = null;
    while (true) {
      String line = readLine(raw);
      if (line == null) {
        if (raw.size() == 0) {
          return null;
        }
        return new SseEvent(event, data == null ? null : data.toString(), raw.toByteArray());
      }
      if (line.isEmpty()) {
        if (raw.size() <= 2 && event == null && data == null) {
          raw.reset();
          continue; // stray blank line between events
        }
        return new SseEvent(event, data == null ? null : data.toString(), raw.toByteArray());
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
  }

  /** Reads one line into {@code raw} (terminator included) and returns it without the terminator. */
  private String readLine(ByteArrayOutputStream raw) throws IOException {
    int start = raw.size();
    while (true) {
      if (pos == len) {
        if (eof || !fill()) {
          if (raw.size() == start) {
            return null;
          }
          byte[] all = raw.toByteArray();
          return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        }
      }
      byte b = buf[pos++];
      if (b == '\n' || b == '\r') {
        byte[] all = raw.toByteArray();
        String line = new String(all, start, all.length - start, StandardCharsets.UTF_8);
        raw.write(b);
        if (b == '\r') {
          if (pos == len && !eof) {
            fill();
          }
          if (pos < len && buf[pos] == '\n') {
            raw.write('\n');
            pos++;
          }
        }
        return line;
      }
      raw.write(b);
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    len = n;
    return true;
  }
}
