package io.shardwork.cli.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an existing {@code --session-dir} may hold the worker's session file, a secret: it must be a real
 * directory (not a symbolic link), owned by the user running the supervisor, and writable by nobody else (a
 * directory others can write lets them replace or plant the file the supervisor reads to close a session).
 */
public final class SessionDirectory {
    private SessionDirectory() {
    }

    /** Why {@code directory} is refused, or empty when it may be used. Reads the file system only. */
    public static Optional<String> problem(Path directory, String user) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException noPosix) {
            return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
            return Optional.of("--session-dir " + directory + " is a symbolic link; give the directory itself");
        }
        if (!attributes.isDirectory()) {
            return Optional.of("--session-dir " + directory + " is not a directory");
        }
        if (!attributes.owner().getName().equals(user)) {
            return Optional.of("--session-dir " + directory + " is owned by " + attributes.owner().getName() + ", not by " + user
                    + " who runs the supervisor; the session file in it is a secret");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of("--session-dir " + directory + " is writable by "
                    + (permissions.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
                    + "; the session file in it is a secret (chmod go-w, or leave --session-dir out for a private one)");
        }
        return Optional.empty();
    }
}
