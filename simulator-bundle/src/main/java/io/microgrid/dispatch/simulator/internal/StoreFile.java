package io.microgrid.dispatch.simulator.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.legacy.LegacyCategories;
import io.microgrid.dispatch.server.DispatchStore;
import io.microgrid.dispatch.simulator.internal.proto.SimulatorStore;
import io.microgrid.dispatch.simulator.internal.proto.StoredDispatch;
import io.microgrid.dispatch.support.file.DurableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file that keeps the simulator's dispatches across restarts: one {@link SimulatorStore}
 * message, rewritten whole after each change through a {@link DurableFile} (atomic replace; a file
 * that cannot be read is moved aside with a warning and the simulator starts empty).
 */
final class StoreFile implements DispatchStore.Saver {
  /**
   * The format this version writes and the newest it reads: 2 since Dispatch API v1.1 renumbered
   * the component categories. A format 1 store is read with its category numbers mapped to what
   * they meant (LegacyCategories).
   */
  static final int FORMAT = 2;

  private final DurableFile file;

  StoreFile(Path file, Clock clock) {
    this.file = new DurableFile(file, clock, "Dispatch simulator store");
  }

  Path path() {
    return file.path();
  }

  /**
   * Reads the store. A missing file is an empty store; an unreadable one is moved aside.
   *
   * @return the store, empty when there is none or it could not be read
   * @throws IOException when the file exists but can be neither read nor moved aside
   */
  DispatchStore.Contents load() throws IOException {
    SimulatorStore stored =
        file.read(StoreFile::parse).orElse(SimulatorStore.getDefaultInstance());
    Map<Long, List<Dispatch>> dispatches = new LinkedHashMap<>();
    for (StoredDispatch d : stored.getDispatchesList()) {
      dispatches.computeIfAbsent(d.getMicrogridId(), id -> new ArrayList<>()).add(d.getDispatch());
    }
    return new DispatchStore.Contents(stored.getLastId(), dispatches);
  }

  private static SimulatorStore parse(byte[] bytes) throws DurableFile.Unreadable {
    SimulatorStore store;
    try {
      store = SimulatorStore.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new DurableFile.Unreadable("it is not a simulator store (" + e.getMessage() + ")");
    }
    String problem = check(store);
    if (problem != null) {
      throw new DurableFile.Unreadable(problem);
    }
    return store.getFormat() <= 1 ? fromFormat1(store) : store;
  }

  /** Maps the category numbers of a format 1 store; one without a counterpart makes it unreadable. */
  private static SimulatorStore fromFormat1(SimulatorStore store) throws DurableFile.Unreadable {
    SimulatorStore.Builder b = store.toBuilder().clearDispatches();
    for (StoredDispatch stored : store.getDispatchesList()) {
      Dispatch d = stored.getDispatch();
      try {
        b.addDispatches(
            stored.toBuilder()
                .setDispatch(
                    d.toBuilder()
                        .setData(
                            d.getData().toBuilder()
                                .setTarget(fromV1(d.getData().getTarget())))));
      } catch (IllegalArgumentException e) {
        throw new DurableFile.Unreadable(
            "dispatch " + Long.toUnsignedString(d.getMetadata().getDispatchId()) + ": " + e.getMessage());
      }
    }
    return b.build();
  }

  /** Returns what makes a parsed store unusable, or null when it is fine. */
  private static String check(SimulatorStore store) {
    if (store.getFormat() > FORMAT) {
      return "it was written in format " + store.getFormat() + " by a newer simulator; this one"
          + " reads up to format " + FORMAT;
    }
    Set<String> seen = new HashSet<>();
    for (StoredDispatch stored : store.getDispatchesList()) {
      long id = stored.getDispatch().getMetadata().getDispatchId();
      if (id == 0 || !stored.getDispatch().hasData()) {
        return "it holds a dispatch without id or data";
      }
      if (!seen.add(Long.toUnsignedString(stored.getMicrogridId()) + "/" + Long.toUnsignedString(id))) {
        return "it holds dispatch " + Long.toUnsignedString(id) + " twice";
      }
    }
    return null;
  }

  /** A target with its category numbers from before API v1.1 replaced by today's. */
  private static io.microgrid.dispatch.protocol.TargetComponents fromV1(
      io.microgrid.dispatch.protocol.TargetComponents target) {
    if (!target.hasComponentCategories()) {
      return target;
    }
    var set = io.microgrid.dispatch.protocol.TargetComponents.CategorySet.newBuilder();
    for (int old : target.getComponentCategories().getCategoriesValueList()) {
      set.addCategoriesValue(
          LegacyCategories.toV1alpha8(old).orElseThrow(() -> LegacyCategories.noCounterpart(old)));
    }
    return target.toBuilder().setComponentCategories(set).build();
  }

  /**
   * Replaces the file with {@code contents}, atomically.
   *
   * @throws IOException when it cannot be written (the message names the file); the previous file
   *     is then unchanged
   */
  @Override
  public void save(DispatchStore.Contents contents) throws IOException {
    SimulatorStore.Builder store =
        SimulatorStore.newBuilder().setFormat(FORMAT).setLastId(contents.lastId());
    contents.dispatches().forEach(
        (microgridId, dispatches) ->
            dispatches.forEach(
                d -> store.addDispatches(
                    StoredDispatch.newBuilder().setMicrogridId(microgridId).setDispatch(d))));
    try {
      file.replace(store.build().toByteArray());
    } catch (IOException e) {
      throw new IOException("cannot save the simulator store " + file.path() + ": " + e.getMessage(), e);
    }
  }
}
