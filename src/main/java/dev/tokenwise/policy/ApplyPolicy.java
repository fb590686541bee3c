package dev.tokenwise.policy;

import dev.tokenwise.core.GatewayException;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.Route;
import java.util.Optional;

/**
 * Finds the policy of a call (the first that matches its tag, pattern, model and provider) and applies
 * its model swap: the call runs on {@code route.model}, of any provider, while its baseline stays priced
 * on the model the client asked for.
 */
final class ApplyPolicy implements Stage {
  private final Providers providers;
  /** Swapped whole on a reload; a request reads it once, so it never sees half of two versions. */
  private volatile Policies policies;

  ApplyPolicy(Providers providers, Policies policies) {
    this.providers = providers;
    this.policies = policies;
  }

  void replace(Policies next) {
    this.policies = next;
  }

  Policies policies() {
    return policies;
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public void before(Exchange ex) {
    String asked = ex.requestedModel();
    Route askedRoute = null;
    try {
      askedRoute = providers.resolve(asked);
    } catch (GatewayException e) {
      // a model no provider serves may still be swapped by a policy that names it; resolve says otherwise
    }
    ex.baseline(askedRoute == null ? null : askedRoute.providerName(), askedRoute == null ? null : askedRoute.model());
    if (ex.internal()) {
      return; // an eval's or a shadow's call runs on the model it names, as it is
    }
    Optional<Policy> policy = policies.match(ex.tag(), ex.pattern(), asked,
        askedRoute == null ? null : askedRoute.providerName());
    if (policy.isEmpty()) {
      return;
    }
    Policy p = policy.get();
    ex.policy(p);
    if (p.routeModel() != null && !p.routeModel().equals(asked)) {
      ex.targetModel(p.routeModel());
      ex.record(new Decision(name(), "model " + asked + " -> " + p.routeModel() + " (" + p.name() + ")"));
    }
  }
}
