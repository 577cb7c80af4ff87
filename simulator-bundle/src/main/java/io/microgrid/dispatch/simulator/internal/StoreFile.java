package io.microgrid.dispatch.simulator.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.microgrid.dispatch.simulator.internal.proto.SimulatorStore;
import io.microgrid.dispatch.simulator.internal.proto.StoredDispatch;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * The file that keeps the simulator's dispatches across restarts: one {@link SimulatorStore}
 * message, rewritten whole after each change.
 *
 * <p>A write never leaves a torn file behind: the new content goes to a temporary file next to
 * it, is forced to the disk, and then replaces the file by an atomic rename (the directory is
 * then forced too, where the platform allows it). A file that cannot be read is moved aside,
 * never deleted, with a warning, and the simulator starts empty.
 */
final class StoreFile {
  private static final Logger LOG = BundleLoggers.get(StoreFile.class);

  /** The format this version writes and the newest it reads. */
  static final int FORMAT = 1;

  private static final DateTimeFormatter ASIDE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final Path temporary;
  private final Clock clock;

  StoreFile(Path file, Clock clock) {
    this.file = file.toAbsolutePath();
    this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    this.clock = clock;
  }

  Path path() {
    return file;
  }

  /**
   * Reads the store. A missing file is an empty store; an unreadable one is moved aside.
   *
   * @return the store, empty when there is none or it could not be read
   * @throws IOException when the file exists but can be neither read nor moved aside
   */
  SimulatorStore load() throws IOException {
    // A leftover of a write that was cut short; the file itself is still the last complete one.
    Files.deleteIfExists(temporary);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return SimulatorStore.getDefaultInstance();
    }
    String problem;
    try {
      SimulatorStore store = SimulatorStore.parseFrom(bytes);
      problem = check(store);
      if (problem == null) {
        return store;
      }
    } catch (InvalidProtocolBufferException e) {
      problem = "it is not a simulator store (" + e.getMessage() + ")";
    }
    Path aside = moveAside();
    LOG.log(
        Level.WARNING,
        "Dispatch simulator: cannot read the store {0}: {1}. Moved it to {2} and starting with an"
            + " empty store.",
        file,
        problem,
        aside);
    return SimulatorStore.getDefaultInstance();
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

  /**
   * Replaces the file with {@code store}, atomically.
   *
   * @throws IOException when it cannot be written; the previous file is then unchanged
   */
  void save(SimulatorStore store) throws IOException {
    Path directory = file.getParent();
    if (directory != null) {
      Files.createDirectories(directory);
    }
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(store.toByteArray());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(directory);
  }

  /** Makes the rename itself durable; not every platform can open a directory for that. */
  private static void forceDirectory(Path directory) {
    if (directory == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its rename is durable enough for a simulator.
    }
  }

  private Path moveAside() throws IOException {
    String base = file.getFileName() + ".corrupt-" + ASIDE_STAMP.format(clock.instant());
    for (int n = 0; ; n++) {
      Path aside = file.resolveSibling(n == 0 ? base : base + "-" + n);
      try {
        Files.move(file, aside);
        return aside;
      } catch (FileAlreadyExistsException e) {
        // Another file moved aside within the same second: take the next name.
      }
    }
  }
}
