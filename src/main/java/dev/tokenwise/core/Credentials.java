package dev.tokenwise.core;

import java.util.Map;

/**
 * Who is calling and with which key. The client's key is held only in memory for the upstream call;
 * it is stored nowhere and printed nowhere ({@link #toString()} hides it).
 *
 * @param tenant the salted hash of the client's key, or a gateway key's tenant name
 * @param clientKey the provider key the client sent, or null (null as well for a gateway key)
 * @param bearer true when the client sent {@code Authorization: Bearer}, false for {@code x-api-key}
 * @param providerKeys provider keys a gateway key stands for, by provider name
 */
public record Credentials(String tenant, String clientKey, boolean bearer, Map<String, String> providerKeys) {

  @Override
  public String toString() {
    return "Credentials[tenant=" + tenant + ", clientKey=" + (clientKey == null ? "none" : "****") + "]";
  }
}
