package io.shardwork.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.DefinitionStore;
import io.shardwork.coordination.definition.VersionedDefinition;
import io.shardwork.layout.ClusterPaths;
import io.shardwork.layout.DefinitionDocument.RegionRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the cluster definition and its version; exit 2 when the cluster has none. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print the cluster definition and its version.")
public final class ClusterShowCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file (for the connection and cluster.name).")
    Path configFile;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(configFile);
        Optional<VersionedDefinition> read;
        try (CuratorFramework client = ClusterConnection.open(config)) {
            read = new DefinitionStore(client, new ClusterPaths(config.clusterName())).read();
        }
        if (read.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "Cluster " + config.clusterName() + " at " + config.zookeeperConnect()
                    + " has no definition: run 'shardwork cluster apply --config FILE'.");
        }
        VersionedDefinition definition = read.get();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("cluster", config.clusterName());
            root.put("version", definition.version());
            ObjectNode settings = root.putObject("settings");
            definition.document().settings().forEach(settings::put);
            ArrayNode regions = root.putArray("regions");
            for (RegionRecord region : definition.document().regions()) {
                ObjectNode node = regions.addObject();
                node.put("name", region.name());
                node.put("partition", region.partition());
                node.put("weight", region.weight());
                ArrayNode zones = node.putArray("zones");
                region.zones().forEach(zones::add);
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return ExitCodes.OK;
        }
        out.println("cluster " + config.clusterName() + " definition version " + definition.version());
        definition.document().settings().forEach((key, value) -> out.println(key + "=" + value));
        out.println("regions=" + String.join(",", definition.document().regions().stream().map(RegionRecord::name).toList()));
        for (RegionRecord region : definition.document().regions()) {
            out.println("region." + region.name() + ".partition=" + region.partition());
            out.println("region." + region.name() + ".weight=" + region.weight());
            if (!region.zones().isEmpty()) {
                out.println("region." + region.name() + ".zones=" + String.join(",", region.zones()));
            }
        }
        return ExitCodes.OK;
    }
}
