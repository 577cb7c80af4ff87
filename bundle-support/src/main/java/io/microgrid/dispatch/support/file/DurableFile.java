package io.microgrid.dispatch.support.file;

import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
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
import java.util.Objects;
import java.util.Optional;

/**
 * A file that keeps a bundle's state across restarts, rewritten whole after each change, that a
 * crash at any moment (kill -9, power loss) leaves either as it was or as it was meant to be.
 *
 * <p>A write never leaves a torn file behind: the new content goes to a temporary file next to
 * it, is forced to the disk, and then replaces the file by an atomic rename (the directory is then
 * forced too, where the platform allows it). A file that cannot be read is moved aside, never
 * deleted, with one warning, so that an operator can still look at it; the owner starts empty.
 */
public final class DurableFile {
  private static final Logger LOG = BundleLoggers.get(DurableFile.class);

  private static final DateTimeFormatter ASIDE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final Path temporary;
  private final Clock clock;
  private final String owner;

  /** Turns the bytes of the file into its content, or says why they cannot be used. */
  @FunctionalInterface
  public interface Reader<T> {
    /**
     * Reads the content.
     *
     * @param bytes the whole file
     * @return the content
     * @throws Unreadable naming what is wrong, when the file cannot be used
     */
    T read(byte[] bytes) throws Unreadable;
  }

  /** The file's content cannot be used; the message says why, for the operator. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param problem what is wrong, as the end of "cannot read FILE: ..."
     */
    public Unreadable(String problem) {
      super(problem);
    }
  }

  /**
   * @param file where the content lives
   * @param clock dates the name of a file moved aside
   * @param owner who keeps the file, the start of its log lines (e.g. "Dispatch simulator")
   */
  public DurableFile(Path file, Clock clock, String owner) {
    this.file = file.toAbsolutePath();
    this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /**
   * Returns where the content lives.
   *
   * @return the absolute path
   */
  public Path path() {
    return file;
  }

  /**
   * Reads the content. A missing file is no content; an unreadable one is moved aside (to {@code
   * <name>.corrupt-<UTC time>}) with one warning, and is no content either.
   *
   * @param reader turns the bytes into the content
   * @param <T> the content's type
   * @return the content, empty when there is none or it could not be read
   * @throws IOException when the file exists but can be neither read nor moved aside
   */
  public <T> Optional<T> read(Reader<T> reader) throws IOException {
    // A leftover of a write that was cut short; the file itself is still the last complete one.
    Files.deleteIfExists(temporary);
    String problem;
    try {
      return Optional.of(reader.read(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      problem = "it cannot be read (" + e + ")";
    } catch (Unreadable e) {
      problem = e.getMessage();
    }
    Path aside = moveAside();
    LOG.log(
        Level.WARNING,
        "{0}: cannot read {1}: {2}. Moved it to {3} and starting empty.",
        owner,
        file,
        problem,
        aside);
    return Optional.empty();
  }

  /** Writes a file's content to a stream, for a content too large to hold as one array. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the content, whole.
     *
     * @param out where it goes (buffered; closed by the caller)
     * @throws IOException when it cannot be written
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces the file with {@code content}, atomically.
   *
   * @param content the new content, whole
   * @throws IOException when it cannot be written; the previous file is then unchanged
   */
  public void replace(byte[] content) throws IOException {
    replace(out -> out.write(content));
  }

  /**
   * Replaces the file with what {@code content} writes, atomically, without the whole content in
   * memory at once (a schedule of a million dispatches is 120 MB).
   *
   * @param content writes the new content, whole
   * @throws IOException when it cannot be written; the previous file is then unchanged
   */
  public void replace(Writer content) throws IOException {
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
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
      content.writeTo(out);
      out.flush();
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
      // Windows cannot open a directory as a channel; its rename is durable without it.
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
