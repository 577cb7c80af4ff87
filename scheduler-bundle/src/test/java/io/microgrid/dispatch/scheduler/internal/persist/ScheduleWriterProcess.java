package io.microgrid.dispatch.scheduler.internal.persist;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child process of {@link KillDuringWritesTest}: rewrites a persisted schedule as fast as it
 * can, of a size that changes at every write, and reports each completed write on standard output,
 * until it is killed.
 */
public final class ScheduleWriterProcess {
  private ScheduleWriterProcess() {}

  /**
   * Writes until killed.
   *
   * @param args the file
   * @throws Exception when a write fails
   */
  public static void main(String[] args) throws Exception {
    ScheduleFile file = new ScheduleFile(Path.of(args[0]), ScheduleFileTest.MICROGRID, Clock.systemUTC());
    for (int i = 1; ; i++) {
      List<HeldState> held = new ArrayList<>();
      for (int n = 1; n <= 1 + i % 200; n++) {
        Dispatch d = ScheduleFileTest.recurring(n);
        held.add(new HeldState(d, n % 2 == 0, Optional.of(ScheduleFileTest.T0), List.of()));
      }
      file.save(out -> out.write(ScheduleFile.encode(ScheduleFileTest.MICROGRID, new ScheduleFile.Content(Optional.empty(), held, Map.of()))));
      System.out.println("saved " + i + " " + held.size());
      System.out.flush();
    }
  }
}
