package io.microgrid.dispatch.client.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.InvalidSettingException;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Registers the {@link DispatchClient} service for the configuration {@value
 * ClientConfiguration#PID}: a thin adapter from ConfigAdmin to a {@link DispatchConnection}.
 *
 * <p>An edit of the configuration is applied in place, so the service stays registered and open
 * streams move to the new server; deleting the configuration unregisters the service.
 */
@Component(
    configurationPid = ClientConfiguration.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = DispatchClient.class)
@Designate(ocd = ClientConfiguration.class)
public final class DispatchClientComponent implements DispatchClient {
  private static final System.Logger LOG = BundleLoggers.get(DispatchClientComponent.class);

  private final DispatchConnection connection;

  /**
   * Opens the connection.
   *
   * @param config the configuration
   * @throws IllegalArgumentException when the configuration is malformed; the log says what to fix
   */
  @Activate
  public DispatchClientComponent(ClientConfiguration config) {
    this.connection = DispatchConnection.open(options(config));
    LOG.log(Level.INFO, "dispatch client started: {0}", connection.options());
  }

  /**
   * Applies an edited configuration without unregistering the service. A malformed edit is
   * logged and the connection keeps its last good configuration.
   *
   * @param config the new configuration
   */
  @Modified
  void modified(ClientConfiguration config) {
    ClientOptions options;
    try {
      options = options(config);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "keeping the previous dispatch client configuration: {0}", e.getMessage());
      return;
    }
    connection.reconfigure(options);
  }

  @Deactivate
  void deactivate() {
    connection.close();
    LOG.log(Level.INFO, "dispatch client stopped");
  }

  static ClientOptions options(ClientConfiguration config) {
    try {
      if (config._key() == null || config._key().isBlank()) {
        // The real API refuses every call without a key; failing here says so at once instead
        // of as UNAUTHENTICATED on every call. The simulator accepts any key.
        throw new IllegalArgumentException(
            ".key (the API key) is not set; set .key = <your API key> (any value for the"
                + " simulator)");
      }
      ClientOptions.Builder b =
          ClientOptions.builder(config.url())
              .key(config._key())
              .signSecret(config._sign_secret())
              .callTimeout(Duration.ofSeconds(config.call_timeout_seconds()))
              .keepAlive(
                  Duration.ofSeconds(config.keepalive_time_seconds()),
                  Duration.ofSeconds(config.keepalive_timeout_seconds()))
              .reconnectDelay(
                  Duration.ofMillis(config.reconnect_delay_ms()),
                  Duration.ofMillis(config.reconnect_max_delay_ms()));
      if (!config.ssl_root_certificates().isBlank()) {
        b.rootCertificates(Path.of(config.ssl_root_certificates().trim()));
      }
      return b.build();
    } catch (InvalidSettingException e) {
      throw invalid(e.messageFor(DispatchClientComponent::property), e);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage(), e);
    }
  }

  /** The property of {@link ClientConfiguration} that holds a setting. */
  static String property(ClientOptions.Setting setting) {
    return switch (setting) {
      case URL -> "url";
      case ROOT_CERTIFICATES -> "ssl.root.certificates";
      case CALL_TIMEOUT -> "call.timeout.seconds";
      case KEEPALIVE_TIME -> "keepalive.time.seconds";
      case KEEPALIVE_TIMEOUT -> "keepalive.timeout.seconds";
      case RECONNECT_DELAY -> "reconnect.delay.ms";
      case MAX_RECONNECT_DELAY -> "reconnect.max.delay.ms";
    };
  }

  private static IllegalArgumentException invalid(String problem, IllegalArgumentException cause) {
    String message = "configuration " + ClientConfiguration.PID + " is invalid: " + problem;
    LOG.log(Level.ERROR, message);
    return new IllegalArgumentException(message, cause);
  }

  @Override
  public Dispatch create(long microgridId, NewDispatch dispatch) {
    return connection.create(microgridId, dispatch);
  }

  @Override
  public Dispatch update(long microgridId, long dispatchId, DispatchUpdate update) {
    return connection.update(microgridId, dispatchId, update);
  }

  @Override
  public Dispatch get(long microgridId, long dispatchId) {
    return connection.get(microgridId, dispatchId);
  }

  @Override
  public void delete(long microgridId, long dispatchId) {
    connection.delete(microgridId, dispatchId);
  }

  @Override
  public Stream<Dispatch> list(long microgridId, DispatchQuery query) {
    return connection.list(microgridId, query);
  }

  @Override
  public DispatchSubscription stream(long microgridId, DispatchStreamListener listener) {
    return connection.stream(microgridId, listener);
  }

  @Override
  public String toString() {
    return "DispatchClientComponent[" + connection.options() + "]";
  }
}
