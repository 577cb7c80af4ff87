package io.microgrid.dispatch.itest;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A device's DS component as a user writes one for a binding (semantics §10): one instance per
 * factory configuration of {@value #PID}, reading the payload through a typed configuration
 * annotation. It records each call for {@link ActorTest}; a dispatch type listed in {@link
 * #FAILURES} makes that many activations throw first.
 */
@Component(configurationPid = TestActor.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = TestActor.Config.class, factory = true)
public class TestActor {
  static final String PID = "io.microgrid.dispatch.itest.actor";

  /** What the component reads; {@code payload_power__w} is the property {@code payload.power_w}. */
  @ObjectClassDefinition
  @interface Config {
    double payload_power__w() default -1;

    long dispatch_id();

    String dispatch_type();

    String dispatch_start();

    boolean dispatch_dry_run();
  }

  /** One call of the component. */
  record Call(String what, String type, long dispatchId, double powerW, boolean dryRun, String start, Instant at) {}

  /** Every call of every instance, in order. */
  static final BlockingQueue<Call> CALLS = new LinkedBlockingQueue<>();

  /** Dispatch type -> how many activations of it still throw. */
  static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  @Activate
  void activate(Config config) {
    AtomicInteger failures = FAILURES.get(config.dispatch_type());
    if (failures != null && failures.getAndDecrement() > 0) {
      record("failed", config);
      throw new IllegalStateException("charger offline (thrown by the test)");
    }
    record("activate", config);
  }

  @Modified
  void modified(Config config) {
    record("modified", config);
  }

  @Deactivate
  void deactivate(Config config) {
    record("deactivate", config);
  }

  private static void record(String what, Config c) {
    CALLS.add(new Call(
        what, c.dispatch_type(), c.dispatch_id(), c.payload_power__w(), c.dispatch_dry_run(), c.dispatch_start(),
        Instant.now()));
  }
}
