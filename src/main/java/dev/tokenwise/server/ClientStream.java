package dev.tokenwise.server;

import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The client's side of a streamed answer. Sets the status and headers and opens the response stream on
 * the first write, so that a provider stream that fails before its first event leaves the response
 * untouched (the call may still go to another model, or answer with a plain error); turns the server
 * library's unchecked write failures into IOException (the client went away), and closes quietly: a
 * client that left after the last event is not an error.
 */
final class ClientStream extends OutputStream {
  private final ServerResponse res;
  private final Runnable head;
  private OutputStream out;

  /** @param head sets the status and headers, just before the response is committed by the first write */
  ClientStream(ServerResponse res, Runnable head) {
    this.res = res;
    this.head = head;
  }

  private OutputStream out() throws IOException {
    if (out == null) {
      head.run();
      try {
        out = res.outputStream();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out().write(b, off, len);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException("the client connection failed", e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out().flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw new IOException("the client connection failed", e);
    }
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException | RuntimeException e) {
      // the client is gone; everything it was owed was already written or counted
    }
  }
}
