package io.shardwork.coordination.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file through which a supervised worker tells its supervisor which ZooKeeper session it holds.
 *
 * <p>Writes are atomic and private: the content goes to a temporary file in the same directory, created
 * with permissions {@code rw-------} (set at creation, so there is no moment where another user could open
 * it), then moved over the target. A reader sees the old file or the new one, never half of one. POSIX file
 * systems only: elsewhere {@link #write} throws.
 *
 * <p>Format (text, one {@code key=value} a line): {@code pid}, {@code session.id} (hex), {@code session.password}
 * (base64).
 */
public final class SessionFile {
    /** {@code rw-------}: the owner alone may read the session password. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    public SessionFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** Replaces the file with {@code session}, atomically, readable by its owner only. Blocks for the disk write. */
    public void write(SessionCredentials session) throws IOException {
        String text = "# shardwork: the ZooKeeper session of worker process " + session.pid() + ". Secret: it lets anyone take the session over.\n"
                + "pid=" + session.pid() + "\n"
                + "session.id=" + Long.toHexString(session.sessionId()) + "\n"
                + "session.password=" + Base64.getEncoder().encodeToString(session.password()) + "\n";
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        Path temporary = Files.createTempFile(path.getParent(), "." + path.getFileName() + ".", ".tmp", ownerOnly);
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("Cannot replace " + path + " atomically (its file system does not support it).", e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The session in the file, or empty when there is no file.
     *
     * @throws IOException when the file exists but cannot be read or is not a session file
     */
    public Optional<SessionCredentials> read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        try {
            return Optional.of(new SessionCredentials(Long.parseUnsignedLong(values.get("session.id"), 16),
                    Base64.getDecoder().decode(values.get("session.password")), Long.parseLong(values.get("pid"))));
        } catch (RuntimeException e) {
            throw new IOException(path + " is not a shardwork session file (expected pid, session.id and session.password).");
        }
    }

    /** Deletes the file if it exists. */
    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return "session file " + path;
    }
}
