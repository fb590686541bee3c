package dev.tokenwise.policy;

import dev.tokenwise.core.GatewayException;
import dev.tokenwise.provider.Breakers;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * The models one call may try, in order: the route it was given, then its policy's {@code fallback} list,
 * less the models that cannot take it, each with the reason it was left out.
 *
 * @param links the models, the call's own route first
 * @param leftOut why each of the policy's models that is not in {@code links} was left out
 */
record FallbackChain(List<Link> links, List<String> leftOut) {

  /**
   * One model of the chain.
   *
   * @param name the model as the config or the client named it ({@code groq/llama-3.3-70b-versatile})
   * @param route where it goes
   */
  record Link(String name, Route route) {}

  /**
   * The chain of a routed call. A model is left out when it is the same route as an earlier one, when its
   * provider speaks the other format on an endpoint that is not translated, or when it is another
   * provider's and the gateway holds no key for it: the client's own key is for the provider it called,
   * and is never sent to another one.
   */
  static FallbackChain of(Exchange ex, Providers providers) {
    List<Link> links = new ArrayList<>(3);
    List<String> leftOut = new ArrayList<>();
    links.add(new Link(ex.targetModel(), ex.route()));
    for (String name : names(ex.policy())) {
      Route route;
      try {
        route = providers.resolve(name);
      } catch (GatewayException e) {
        leftOut.add(name + " (" + e.getMessage() + ")"); // its provider left the config since it was checked
        continue;
      }
      if (links.stream().anyMatch(l -> l.route().equals(route))) {
        continue;
      }
      if (!Resolve.canServe(ex, route)) {
        leftOut.add(Breakers.key(route) + " (speaks the other format; " + ex.endpoint() + " is not translated)");
      } else if (!route.providerName().equals(ex.route().providerName())
          && !Providers.hasOwnKey(route.provider(), ex.credentials())) {
        leftOut.add(Breakers.key(route) + " (no key of the gateway's own for " + route.providerName()
            + "; set providers." + route.providerName() + ".api_key)");
      } else {
        links.add(new Link(name, route));
      }
    }
    return new FallbackChain(List.copyOf(links), List.copyOf(leftOut));
  }

  /** The policy's fallback models, as the config loader kept and checked them. */
  private static List<String> names(Policy policy) {
    Object raw = policy == null ? null : policy.tactic(Fallback.NAME);
    List<String> out = new ArrayList<>();
    if (raw instanceof List<?> list) {
      for (Object o : list) {
        if (o != null && !o.toString().isBlank()) {
          out.add(o.toString().strip());
        }
      }
    }
    return out;
  }
}
