package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.T0;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.dispatch;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.running;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Semantics §7 (merging) and the per-listener bookkeeping of §8, without threads. */
class MergeStateTest {
  private static final TargetComponents T1 = TargetComponents.ids(1);
  private static final TargetComponents T2 = TargetComponents.ids(2);

  private static MergeState state(Object type, String merge) {
    return new MergeState(
        ListenerProperties.ofRunningStateListener(
            1,
            merge == null
                ? props(RunningStateListener.TYPE, type)
                : props(RunningStateListener.TYPE, type, RunningStateListener.MERGE, merge)));
  }

  private static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  @Test
  void unmergedPassesEveryTransitionOfMatchingDispatches() {
    MergeState s = state("A", null);
    RunningStateChange r1 = running(dispatch(1, "A"), at(0));
    RunningStateChange r2 = running(dispatch(2, "A"), at(1));
    RunningStateChange again = running(dispatch(1, "A"), at(2));
    RunningStateChange s1 = stopped(dispatch(1, "A"), at(3));
    assertEquals(List.of(r1), s.apply(r1));
    assertEquals(List.of(r2), s.apply(r2));
    assertEquals(List.of(again), s.apply(again), "a restart while running is a RUNNING again");
    assertEquals(List.of(s1), s.apply(s1));
    assertEquals(List.of(), s.apply(running(dispatch(3, "B"), at(4))), "other type");
    assertEquals(List.of(), s.apply(stopped(dispatch(3, "B"), at(5))));
  }

  @Test
  void stoppedForADispatchNeverToldRunningIsNotPassed() {
    MergeState s = state("A", null);
    assertEquals(List.of(), s.apply(stopped(dispatch(1, "A"), at(0))));
  }

  @Test
  void mergeByType() {
    MergeState s = state("A", "type");
    RunningStateChange first = running(dispatch(1, "A", T1), at(0));
    RunningStateChange second = running(dispatch(2, "A", T2), at(1));
    assertEquals(List.of(first), s.apply(first), "first start: RUNNING");
    assertEquals(List.of(second), s.apply(second), "second start: RUNNING (reconfigure)");
    assertEquals(List.of(), s.apply(stopped(dispatch(1, "A", T1), at(2))), "first stop: nothing");
    RunningStateChange last = stopped(dispatch(2, "A", T2), at(3));
    assertEquals(List.of(last), s.apply(last), "last stop: STOPPED, with its snapshot");
  }

  /** A dispatch of {@code id} and {@code type} that is a dry run. */
  private static Dispatch dryRun(long id, String type, TargetComponents target) {
    Dispatch d = dispatch(id, type, target);
    return new Dispatch(
        d.id(), d.microgridId(), d.type(), d.startTime(), d.duration(), d.target(), d.active(), true,
        d.payload(), d.recurrence(), d.createTime(), d.updateTime(), d.endTime());
  }

  @Test
  void mergeByTypeKeepsADryRunApartFromARealRun() {
    MergeState s = state("A", "type");
    RunningStateChange real = running(dispatch(1, "A", T1), at(0));
    RunningStateChange dry = running(dryRun(2, "A", T1), at(1));
    s.apply(real);
    s.apply(dry);
    RunningStateChange realStop = stopped(dispatch(1, "A", T1), at(2));
    assertEquals(
        List.of(realStop), s.apply(realStop), "the real run stops although a dry run still runs");
    RunningStateChange dryStop = stopped(dryRun(2, "A", T1), at(3));
    assertEquals(List.of(dryStop), s.apply(dryStop), "and the dry run stops on its own");
  }

  @Test
  void mergeByTypeAndTargetKeepsADryRunApartFromARealRun() {
    MergeState s = state("A", "type+target");
    s.apply(running(dispatch(1, "A", T1), at(0)));
    s.apply(running(dryRun(2, "A", T1), at(1)));
    RunningStateChange dryStop = stopped(dryRun(2, "A", T1), at(2));
    assertEquals(List.of(dryStop), s.apply(dryStop), "the dry run of one target stops alone");
  }

  @Test
  void catchUpMergedByTypeTellsTheDryAndTheRealRunEach() {
    RunningStateChange real = running(dispatch(1, "A", T1), at(0));
    RunningStateChange dry = running(dryRun(2, "A", T1), at(1));
    assertEquals(List.of(real, dry), state("A", "type").catchUp(List.of(real, dry)));
  }

  @Test
  void mergeByTypeReconfigureOfARunningOneIsRunningAgain() {
    MergeState s = state("A", "type");
    s.apply(running(dispatch(1, "A"), at(0)));
    s.apply(running(dispatch(2, "A"), at(1)));
    RunningStateChange reconfigured = running(dispatch(1, "A", T2), at(2));
    assertEquals(List.of(reconfigured), s.apply(reconfigured));
  }

  @Test
  void mergeByTypeAndTarget() {
    MergeState s = state("A", "type+target");
    RunningStateChange a1 = running(dispatch(1, "A", T1), at(0));
    RunningStateChange b = running(dispatch(3, "A", T2), at(1));
    RunningStateChange a2 = running(dispatch(2, "A", T1), at(2));
    assertEquals(List.of(a1), s.apply(a1), "first of (A, 1)");
    assertEquals(List.of(b), s.apply(b), "first of (A, 2): another identity");
    assertEquals(List.of(a2), s.apply(a2), "second of (A, 1): reconfigure");
    assertEquals(List.of(), s.apply(stopped(dispatch(1, "A", T1), at(3))), "(A, 1) still runs");
    RunningStateChange bStop = stopped(dispatch(3, "A", T2), at(4));
    assertEquals(List.of(bStop), s.apply(bStop), "last of (A, 2)");
    RunningStateChange a2Stop = stopped(dispatch(2, "A", T1), at(5));
    assertEquals(List.of(a2Stop), s.apply(a2Stop), "last of (A, 1)");
  }

  @Test
  void mergeByTypeAndTargetMovingTargetStopsTheOldIdentity() {
    MergeState s = state("A", "type+target");
    s.apply(running(dispatch(1, "A", T1), at(0)));
    RunningStateChange moved = running(dispatch(1, "A", T2), at(1));
    List<RunningStateChange> out = s.apply(moved);
    assertEquals(2, out.size());
    assertEquals(RunningState.STOPPED, out.get(0).state());
    assertEquals(T1, out.get(0).dispatch().target(), "the stop of the identity it left");
    assertSame(moved, out.get(1));
  }

  @Test
  void typeChangeAwayStopsForTheOldTypesListenerWithTheSnapshotItKnows() {
    MergeState s = state("A", null);
    Dispatch before = dispatch(1, "A");
    s.apply(running(before, at(0)));
    RunningStateChange changed = running(dispatch(1, "B"), at(1));
    List<RunningStateChange> out = s.apply(changed);
    assertEquals(1, out.size());
    RunningStateChange stop = out.get(0);
    assertEquals(RunningState.STOPPED, stop.state());
    assertEquals(before, stop.dispatch(), "the listener of A hears of the dispatch it ran");
    assertEquals(at(1), stop.at());
    assertEquals(List.of(), s.apply(stopped(dispatch(1, "B"), at(2))), "not its concern any more");
  }

  @Test
  void typeChangeAwayInAMergedRunStopsOnlyWhenItWasTheLast() {
    MergeState s = state("A", "type");
    s.apply(running(dispatch(1, "A"), at(0)));
    s.apply(running(dispatch(2, "A"), at(1)));
    assertEquals(List.of(), s.apply(running(dispatch(1, "B"), at(2))));
    List<RunningStateChange> out = s.apply(running(dispatch(2, "B"), at(3)));
    assertEquals(1, out.size());
    assertEquals(RunningState.STOPPED, out.get(0).state());
    assertEquals("A", out.get(0).dispatch().type());
  }

  @Test
  void catchUpUnmergedTellsEveryMatchingRunningDispatchInIdOrder() {
    MergeState s = state("A", null);
    RunningStateChange r3 = running(dispatch(3, "A"), at(0));
    RunningStateChange r1 = running(dispatch(1, "A"), at(1));
    RunningStateChange other = running(dispatch(2, "B"), at(1));
    assertEquals(List.of(r1, r3), s.catchUp(List.of(r3, other, r1)));
    RunningStateChange stop = stopped(dispatch(1, "A"), at(2));
    assertEquals(List.of(stop), s.apply(stop), "what catch-up told RUNNING is told STOPPED");
  }

  @Test
  void catchUpMergedTellsEachIdentityOnceWithTheLatestStart() {
    RunningStateChange a1 = running(dispatch(1, "A", T1), at(0));
    RunningStateChange a2 = running(dispatch(2, "A", T2), at(2));
    RunningStateChange a3 = running(dispatch(3, "A", T1), at(1));
    List<RunningStateChange> now = List.of(a1, a2, a3);

    MergeState byType = state("A", "type");
    assertEquals(List.of(a2), byType.catchUp(now));
    assertEquals(List.of(), byType.apply(stopped(dispatch(2, "A", T2), at(3))));
    assertEquals(List.of(), byType.apply(stopped(dispatch(1, "A", T1), at(3))));
    assertEquals(1, byType.apply(stopped(dispatch(3, "A", T1), at(3))).size(), "last stop");

    MergeState byTarget = state("A", "type+target");
    assertEquals(List.of(a3, a2), byTarget.catchUp(now));
  }

  @Test
  void refilterCatchesUpWithoutRepeatingAndStopsWhatItNoLongerHandles() {
    MergeState s = state("A", null);
    RunningStateChange a = running(dispatch(1, "A"), at(0));
    RunningStateChange b = running(dispatch(2, "B"), at(0));
    s.apply(a);
    s.apply(b);
    List<RunningStateChange> now = List.of(a, b);

    ListenerProperties both =
        ListenerProperties.ofRunningStateListener(
            1, props(RunningStateListener.TYPE, new String[] {"A", "B"}));
    assertEquals(List.of(b), s.refilter(both, now, at(5)), "only the one it was not told");

    ListenerProperties onlyB =
        ListenerProperties.ofRunningStateListener(1, props(RunningStateListener.TYPE, "B"));
    List<RunningStateChange> out = s.refilter(onlyB, now, at(6));
    assertEquals(1, out.size());
    assertEquals(RunningState.STOPPED, out.get(0).state());
    assertEquals(1, out.get(0).dispatch().id());
    assertEquals(at(6), out.get(0).at());
    assertEquals(Set.of(2L), s.toldRunning());
  }

  @Test
  void refilterToAMergeModeCarriesRunningDispatchesOverSilently() {
    MergeState s = state("A", null);
    RunningStateChange a1 = running(dispatch(1, "A"), at(0));
    RunningStateChange a2 = running(dispatch(2, "A"), at(1));
    s.apply(a1);
    s.apply(a2);
    ListenerProperties merged =
        ListenerProperties.ofRunningStateListener(
            1, props(RunningStateListener.TYPE, "A", RunningStateListener.MERGE, "type"));
    assertEquals(List.of(), s.refilter(merged, List.of(a1, a2), at(2)));
    assertEquals(List.of(), s.apply(stopped(dispatch(1, "A"), at(3))));
    List<RunningStateChange> last = s.apply(stopped(dispatch(2, "A"), at(4)));
    assertEquals(1, last.size());
    assertEquals(RunningState.STOPPED, last.get(0).state());
  }
}
