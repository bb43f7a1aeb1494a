package io.shardwork.coordination;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * ZooKeeper digest credentials {@code user:password}: the deployment's identity. The password is never
 * part of {@link #toString()} or of any exception message.
 */
public final class DigestCredentials {
    private final String user;
    private final String userAndPassword;

    private DigestCredentials(String user, String userAndPassword) {
        this.user = user;
        this.userAndPassword = userAndPassword;
    }

    /**
     * Parses {@code user:password} (the user may not contain ':'; the password may).
     *
     * @throws IllegalArgumentException when the text is not user:password; the message never repeats it
     */
    public static DigestCredentials parse(String userAndPassword) {
        Objects.requireNonNull(userAndPassword, "userAndPassword");
        int colon = userAndPassword.indexOf(':');
        if (colon < 1 || colon == userAndPassword.length() - 1) {
            throw new IllegalArgumentException("ZooKeeper digest credentials must be user:password (value hidden).");
        }
        return new DigestCredentials(userAndPassword.substring(0, colon), userAndPassword);
    }

    public String user() {
        return user;
    }

    /** The bytes ZooKeeper's {@code addAuthInfo("digest", ...)} expects. Never log them. */
    public byte[] authBytes() {
        return userAndPassword.getBytes(StandardCharsets.UTF_8);
    }

    /** The id an ACL names this identity by: {@code digest:user:base64(sha1(user:password))}. */
    public Id digestId() {
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(userAndPassword));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1 is not available in this JVM; ZooKeeper digest ACLs need it.", e);
        }
    }

    /**
     * The ACL of every node the runtime creates: this identity may do everything, anyone may read. Reading
     * the layout (members, assignment, claims, epochs, offsets) reveals no secret, and lets {@code status}
     * and monitoring work without the credentials; every write (claim, epoch, checkpoint, assignment,
     * drain marker, leader epoch) and every ACL change needs them.
     */
    public List<ACL> acl() {
        // not List.of: ZooKeeper's create calls acl.contains(null), which List.of refuses with an NPE
        return Collections.unmodifiableList(Arrays.asList(
                new ACL(ZooDefs.Perms.ALL, digestId()), new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DigestCredentials that && userAndPassword.equals(that.userAndPassword);
    }

    @Override
    public int hashCode() {
        return userAndPassword.hashCode();
    }

    @Override
    public String toString() {
        return "digest " + user + ":[hidden]";
    }
}
