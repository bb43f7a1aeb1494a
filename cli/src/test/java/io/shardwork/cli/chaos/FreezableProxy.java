package io.shardwork.cli.chaos;

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
 * A TCP proxy between one worker and ZooKeeper (after the worker-runtime test's CuttableProxy) that can
 * FREEZE: connections stay open but no byte passes in either direction, and new connections are accepted
 * and frozen too. Unlike a closed socket, which the client notices at once, a frozen link is noticed only
 * when the client's read timeout passes (two thirds of the session timeout), while the server expires the
 * session after the session timeout: the worker is cut off and does not know it, the way a silent network
 * partition behaves. {@link #heal()} drops the frozen connections so the client reconnects through the
 * proxy, now passing bytes again.
 */
final class FreezableProxy implements Closeable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    FreezableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "freezable-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on no byte passes; connections stay open. */
    void freeze() {
        frozen = true;
    }

    /** Drops every connection (frozen ones included) and passes bytes again for new connections. */
    void heal() {
        sockets.forEach(FreezableProxy::closeQuietly);
        sockets.clear();
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // listener closed or the server is down: the client retries
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!closed && (n = in.read(buffer)) >= 0) {
                    awaitThawed();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "freezable-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Holds a read chunk while frozen; the connection is dropped by heal() meanwhile, so the chunk is never delivered. */
    private void awaitThawed() throws InterruptedException, IOException {
        synchronized (gate) {
            boolean held = false;
            while (frozen && !closed) {
                held = true;
                gate.wait();
            }
            if (held) {
                throw new IOException("dropped while frozen");
            }
        }
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
        closed = true;
        heal();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
