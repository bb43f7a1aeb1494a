package io.shardwork.cli.produce;

import io.shardwork.cli.ExitCodes;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.produce.OrderGenerator;
import io.shardwork.produce.OrderProducer;
import io.shardwork.produce.SequenceTail;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Writes generated orders across the configured regions, each region's seq continuing where it stopped. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce orders across the configured regions (per-region seq).")
public final class ProduceCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--orders", required = true, paramLabel = "N", description = "Valid orders to write.")
    long orders;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R", description = "At most R orders per second; 0: as fast as possible (default).")
    double rate;

    @Option(names = "--poison", defaultValue = "0", paramLabel = "P", description = "Also write P bad orders (unparseable, or failing in the billing handler).")
    int poison;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generator (default: the current time).")
    Long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (orders < 0 || poison < 0 || rate < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--orders, --poison and --rate must be at least 0.");
        }
        ShardworkConfig config = ClusterDefinitions.withDefinition(ShardworkConfig.load(configFile));
        PrintWriter out = spec.commandLine().getOut();
        long chosenSeed = seed != null ? seed : System.currentTimeMillis();
        Map<String, Long> lastSeqs = SequenceTail.read(config);
        try (OrderProducer producer = new OrderProducer(config)) {
            OrderProducer.Result result = producer.produce(new OrderGenerator(config.regions(), chosenSeed).orders(orders, poison, lastSeqs), rate);
            out.printf("produced %d records (%d orders, %d poison) to %s in %.1f s (%.0f/s), seed %d%n", result.records(), orders, poison,
                    config.ordersTopic(), result.elapsedNanos() / 1e9, result.perSecond(), chosenSeed);
        }
        return ExitCodes.OK;
    }
}
