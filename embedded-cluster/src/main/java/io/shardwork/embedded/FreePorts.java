package io.shardwork.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks ports that are free on a host right now, by letting the kernel choose one (bind to port 0)
 * and closing the socket again. Another process may take the port between this call and its use;
 * on loopback in a test run that race is rare, and the servers' own probe then fails with a
 * {@link PortInUseException}.
 *
 * <p>Thread-safe; each call blocks only for one bind and close.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port that is free on {@code 127.0.0.1} at the time of the call. */
    public static int pick() {
        return pick("127.0.0.1");
    }

    /** A port that is free on {@code host} at the time of the call. */
    public static int pick(String host) {
        return pickDistinct(host, 1)[0];
    }

    /**
     * {@code count} ports free on {@code host} at the time of the call, all different: each socket stays bound until
     * every port is picked (two {@link #pick} calls in a row may return the same port, since the first is
     * released before the second is chosen).
     */
    public static int[] pickDistinct(String host, int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].setReuseAddress(true);
                sockets[i].bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find " + count + " free ports on " + host, e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // a socket that cannot close held nothing we need
                    }
                }
            }
        }
    }

    /** {@code port} itself, or a free port on {@code host} when {@code port} is 0. */
    public static int orPick(String host, int port) {
        return port == 0 ? pick(host) : port;
    }
}
