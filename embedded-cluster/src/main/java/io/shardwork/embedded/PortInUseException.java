package io.shardwork.embedded;

/**
 * A port an embedded server was told to use is already taken on its host, found by a probe before
 * the server is started. Nothing was started for that server when this is thrown.
 */
public final class PortInUseException extends ClusterStartException {

    private final String server;
    private final String host;
    private final int port;

    public PortInUseException(String server, String host, int port) {
        super("Cannot start the " + server + ": port " + port + " on " + host
                + " is already in use (is another shardwork dev-cluster running?)");
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** Which server wanted the port, e.g. {@code "embedded Kafka broker"}. */
    public String server() {
        return server;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
