package dev.tokenwise.web;

import com.fasterxml.jackson.databind.JsonNode;

/** What the admin API may ask of the shadow tests running in this gateway. */
public interface ShadowAdmin {

  /**
   * Each shadow (a pattern copied to a candidate model): its pairs of the last 30 days summed, today's
   * spend against its daily cap, and what became of its samples since start.
   */
  JsonNode report();
}
