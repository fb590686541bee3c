package dev.tokenwise.web;

import com.fasterxml.jackson.databind.JsonNode;

/** What the admin API may ask of the response cache: its figures, and dropping answers. */
public interface CacheAdmin {

  /** Hit rate, savings and counts per pattern, and what the cache holds. */
  JsonNode report();

  /** Drops the answers of one pattern, or every answer when {@code pattern} is null; returns how many went. */
  long invalidate(String pattern);
}
