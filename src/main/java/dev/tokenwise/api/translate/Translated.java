package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A request body translated into the other dialect, with a human-readable note for every field that was
 * dropped or changed on the way, so the request trace shows what the upstream did not see.
 */
public record Translated(ObjectNode body, List<String> notes) {
  /** Freezes the notes so a caller cannot change the record after the fact. */
  public Translated {
    notes = List.copyOf(notes);
  }
}
