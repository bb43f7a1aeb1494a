package io.shardwork.coordination.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the test ZooKeeper for one worker, so that a test can cut the worker off as a
 * crash, a long pause or a partition would: after {@link #cut()} every connection is dropped and new ones
 * are refused, and nothing more reaches the server, not even a closeSession. The server then expires the
 * session after its timeout, exactly as for a dead process.
 */
public final class CuttableProxy implements Closeable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean repliesMuted;
    private volatile long refuseUntilNanos;

    public CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /**
     * Drops every connection and refuses new ones for {@code millis}, as a short network blip would; the
     * client then reconnects to the same session if the blip was shorter than the session timeout.
     */
    public void blip(long millis) {
        refuseUntilNanos = System.nanoTime() + millis * 1_000_000;
        sockets.forEach(CuttableProxy::closeQuietly);
        sockets.clear();
    }

    /**
     * While {@code muted}, the server's answers are dropped and the client's requests still reach it, as when a
     * request lands and its answer is lost.
     */
    public void muteReplies(boolean muted) {
        repliesMuted = muted;
    }

    /** Drops every connection and refuses new ones, for good. */
    public void cut() {
        cut = true;
        sockets.forEach(CuttableProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut || System.nanoTime() < refuseUntilNanos) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                // listener closed or connection failed: the client retries
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!cut && (n = in.read(buffer)) >= 0) {
                    if (replies && repliesMuted) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
