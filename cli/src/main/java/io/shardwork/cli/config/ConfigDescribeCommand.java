package io.shardwork.cli.config;

import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ClientSettings;
import io.shardwork.config.ConfigKey;
import io.shardwork.config.RegionKeys;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists every key with its type, default and doc; with --config, also the effective values (secrets hidden). */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "List every configuration key with its type, default and doc.")
public final class ConfigDescribeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Also show the effective value of each key in FILE (secrets hidden).")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> effective = file == null ? Map.of() : ShardworkConfig.load(file).displayed();
        List<ConfigKey> keys = new ArrayList<>(ShardworkConfigDef.keys());
        keys.addAll(RegionKeys.TEMPLATES.keys());
        String group = "";
        for (ConfigKey key : keys) {
            if (!key.group().equals(group)) {
                group = key.group();
                out.println();
                out.println("[" + group + "]");
            }
            out.println(key.name());
            out.println("    type:     " + key.type().name().toLowerCase(java.util.Locale.ROOT) + " (" + key.expected() + ")");
            out.println("    scope:    " + key.scope().label());
            out.println("    default:  " + (key.required() ? "(required)" : quoted(key.type().display(key.defaultValue()))));
            if (effective.containsKey(key.name())) {
                out.println("    value:    " + quoted(effective.get(key.name())));
            }
            out.println("    " + key.doc());
        }
        out.println();
        out.println("[pass-through]");
        out.println(ClientSettings.KAFKA_CLIENT + "*     every Kafka client (consumer, producer, admin), e.g. kafka.client.security.protocol");
        out.println(ClientSettings.KAFKA_CONSUMER + "*   the Kafka consumers");
        out.println(ClientSettings.KAFKA_PRODUCER + "*   the Kafka producers");
        out.println(ClientSettings.KAFKA_ADMIN + "*      the Kafka admin client");
        out.println(ClientSettings.ZOOKEEPER + "*         any other zookeeper.* key goes to the ZooKeeper client under its own name");
        out.println("    Secrets (passwords, JAAS configs, digests) are never printed. Values may use ${env:NAME}.");
        if (file != null) {
            effective.forEach((key, value) -> {
                if (key.startsWith("kafka.client.") || key.startsWith("kafka.consumer.") || key.startsWith("kafka.producer.")
                        || key.startsWith("kafka.admin.") || (key.startsWith("zookeeper.") && !ShardworkConfig.declaredKeys().contains(key))) {
                    out.println("    " + key + " = " + quoted(value));
                }
            });
        }
        return ExitCodes.OK;
    }

    private static String quoted(String value) {
        return "'" + value + "'";
    }
}
