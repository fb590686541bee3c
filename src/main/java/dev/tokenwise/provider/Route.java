package dev.tokenwise.provider;

import dev.tokenwise.config.ProviderConfig;

/**
 * Where a call goes: the provider and the model name it knows.
 *
 * @param provider the upstream
 * @param model the model id sent upstream (without any {@code provider/} prefix)
 */
public record Route(ProviderConfig provider, String model) {

  /** The provider's name. */
  public String providerName() {
    return provider.name();
  }
}
