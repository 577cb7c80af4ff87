package io.microgrid.dispatch.scheduler.internal.conditions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which conditions a scheduler registers and withdraws, in which order, as SCR would see them. The
 * registrations run on a thread of their own; {@link DispatchConditions#close()} waits for it, so
 * each test reads the whole record after closing.
 */
class DispatchConditionsTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final long MG = 7;

  /** "+" or "-" and the condition's properties, in the order the framework saw them. */
  private final List<String> record = Collections.synchronizedList(new ArrayList<>());
  private final List<RunningStateChange> delivered = new ArrayList<>();
  private final DispatchConditions conditions =
      new DispatchConditions(new Delivery(), this::register, "test-conditions");

  private Runnable register(Map<String, Object> properties) {
    String what = describe(properties);
    record.add("+" + what);
    return () -> record.add("-" + what);
  }

  private static String describe(Map<String, Object> p) {
    String id = (String) p.get("osgi.condition.id");
    String name = id.substring(id.lastIndexOf('.') + 1);
    Long microgrid = (Long) p.get("microgrid.id");
    Object type = p.get("dispatch.type");
    return name + " " + microgrid + (type == null ? "" : " " + type);
  }

  @Test
  void aTypeHoldsFromItsFirstRunningToItsLastStoppedAndEachTypeOnItsOwn() {
    conditions.runningStateChanged(running(1, "A"));
    conditions.runningStateChanged(running(2, "A"));
    conditions.runningStateChanged(running(3, "B"));
    conditions.runningStateChanged(stopped(1, "A"));
    conditions.runningStateChanged(stopped(3, "B"));
    conditions.runningStateChanged(stopped(2, "A"));
    conditions.close();

    assertEquals(List.of("+running 7 A", "+running 7 B", "-running 7 B", "-running 7 A"), record);
  }

  @Test
  void aChangeWhileRunningKeepsItsConditionWithoutAGapOrMovesItToTheNewType() {
    conditions.runningStateChanged(running(1, "A"));
    conditions.runningStateChanged(running(1, "A"));
    conditions.runningStateChanged(running(1, "B"));
    conditions.runningStateChanged(stopped(1, "B"));
    conditions.close();

    assertEquals(
        List.of("+running 7 A", "+running 7 B", "-running 7 A", "-running 7 B"), record);
  }

  @Test
  void readyHoldsOnceLoadedWithTheRunsResumedSilentlyAndGoesWhenTheMicrogridIsLeft() {
    conditions.loaded(MG, List.of(running(1, "A")));
    conditions.runningStateChanged(stopped(1, "A"));
    conditions.left(MG);
    conditions.close();

    assertEquals(
        List.of("+running 7 A", "+ready 7", "-running 7 A", "-ready 7"), record);
  }

  @Test
  void closingWithdrawsWhatHoldsAndNothingRegistersAfterwards() {
    conditions.loaded(MG, List.of());
    conditions.runningStateChanged(running(1, "A"));
    conditions.close();
    conditions.runningStateChanged(running(2, "B"));

    assertEquals(
        List.of("+ready 7", "+running 7 A"), record.subList(0, 2));
    assertEquals(
        List.of("-ready 7", "-running 7 A"), record.subList(2, 4).stream().sorted().toList());
    assertEquals(4, record.size());
  }

  @Test
  void everyNotificationGoesOnToDelivery() {
    RunningStateChange change = running(1, "A");
    conditions.runningStateChanged(change);
    conditions.close();

    assertEquals(List.of(change), delivered);
  }

  private static RunningStateChange running(long id, String type) {
    return new RunningStateChange(dispatch(id, type), RunningState.RUNNING, T0, Optional.empty(), List.of());
  }

  private static RunningStateChange stopped(long id, String type) {
    return new RunningStateChange(dispatch(id, type), RunningState.STOPPED, T0, Optional.empty(), List.of());
  }

  private static Dispatch dispatch(long id, String type) {
    return new Dispatch(
        id, MG, type, T0, Optional.of(Duration.ofMinutes(1)), TargetComponents.ids(1), true, false,
        Payload.EMPTY, Optional.empty(), T0, T0, Optional.empty());
  }

  private final class Delivery implements Notifications {
    @Override
    public void runningStateChanged(RunningStateChange change) {
      delivered.add(change);
    }

    @Override
    public void dispatchEvent(DispatchEvent event, Instant due) {}
  }
}
