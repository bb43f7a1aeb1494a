package io.shardwork.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Checks, just before a server starts, that its port can be bound, so that a clash reads clearly. */
final class PortProbe {

    private PortProbe() {
    }

    /**
     * Binds a listening socket on {@code host:port} and closes it at once.
     *
     * <p>The probe sets SO_REUSEADDR like the servers themselves do (the JDK sets it on every
     * server socket on Linux and macOS): without it a port whose previous server closed
     * connections a moment ago (sockets in TIME_WAIT) would be reported as taken, although the
     * server could bind it. A port with a listening socket is refused either way.
     *
     * @throws PortInUseException when the port cannot be bound
     */
    static void requireFree(String server, String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ClusterStartException("Cannot start the " + server + ": unknown host " + host, e);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new PortInUseException(server, host, port);
        }
    }
}
