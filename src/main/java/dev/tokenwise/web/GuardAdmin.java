package dev.tokenwise.web;

import com.fasterxml.jackson.databind.JsonNode;

/** What the admin API may ask of the spend guard: what holds now, and clearing a tripped guard early. */
public interface GuardAdmin {

  /** Whether the guard is on, what it counts in, the trips that hold now, and its counts. */
  JsonNode report();

  /** Clears the tripped guards of a tenant, or of a pattern when {@code tenant} is null; says what it cleared. */
  JsonNode clear(String tenant, String pattern);
}
