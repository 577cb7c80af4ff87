package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The off-the-shelf alternative: Quartz with its in-memory RAMJobStore, one job and one trigger
 * per transition, and a thread pool of two (as many threads as our scheduler uses on this path).
 */
final class QuartzPeer implements Contender {
  private static final String CALLS = "calls";
  private static final String INDEX = "index";
  private Scheduler scheduler;

  @Override
  public String name() {
    return "Quartz (RAMJobStore)";
  }

  @Override
  public void load(List<Dispatch> dispatches, Transitions transitions, LatenessRecorder listener)
      throws SchedulerException {
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "bench-" + System.nanoTime());
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(ExecutorPeer.THREADS));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    scheduler = new StdSchedulerFactory(p).getScheduler();
    List<Runnable> calls = new ArrayList<>();
    scheduler.getContext().put(CALLS, calls);
    List<RunningStateChange> all = new ArrayList<>(transitions.pending());
    all.addAll(transitions.inWindow());
    for (RunningStateChange c : all) {
      int index = calls.size();
      calls.add(() -> listener.onRunningStateChange(c));
      JobDetail job = JobBuilder.newJob(CallListener.class).withIdentity("t" + index).usingJobData(INDEX, index).build();
      Trigger trigger =
          TriggerBuilder.newTrigger()
              .withIdentity("t" + index)
              .startAt(Date.from(c.at()))
              // A late trigger still fires (once), as a transition must still be told.
              .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
              .build();
      scheduler.scheduleJob(job, trigger);
    }
    scheduler.start();
  }

  @Override
  public void close() throws SchedulerException {
    if (scheduler != null) {
      scheduler.shutdown(false);
    }
  }

  /** The job of every trigger: calls the listener with the transition's notification. */
  public static final class CallListener implements Job {
    @Override
    @SuppressWarnings("unchecked")
    public void execute(JobExecutionContext context) throws JobExecutionException {
      try {
        List<Runnable> calls = (List<Runnable>) context.getScheduler().getContext().get(CALLS);
        calls.get(context.getMergedJobDataMap().getInt(INDEX)).run();
      } catch (SchedulerException e) {
        throw new JobExecutionException(e);
      }
    }
  }
}
