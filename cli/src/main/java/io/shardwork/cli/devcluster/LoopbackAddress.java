package io.shardwork.cli.devcluster;

import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import java.util.List;

/**
 * A host:port the embedded dev cluster listens on, taken from the deployment file (zookeeper.connect,
 * kafka.bootstrap.servers) so that the ports are written once. Only loopback hosts are accepted: the dev
 * cluster is for one machine.
 */
record LoopbackAddress(String host, int port) {

    static LoopbackAddress parse(String source, String key, List<String> addresses) {
        String shown = String.join(",", addresses);
        if (addresses.size() != 1) {
            throw new ConfigException(ConfigProblem.invalid(source, key, shown,
                    "exactly one loopback host:port for the embedded dev cluster"));
        }
        String address = addresses.get(0);
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException notANumber) {
            port = -1;
        }
        boolean loopback = host.equals("localhost") || host.startsWith("127.");
        if (!loopback || port < 1 || port > 65535) {
            throw new ConfigException(ConfigProblem.invalid(source, key, shown,
                    "a loopback host:port such as 127.0.0.1:22181 for the embedded dev cluster"));
        }
        return new LoopbackAddress(host.equals("localhost") ? "127.0.0.1" : host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
