package io.shardwork.cli.worker;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.Logging;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.cli.supervise.SuperviseOptions;
import io.shardwork.cli.supervise.Supervisor;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import io.shardwork.coordination.LayoutAccessDeniedException;
import io.shardwork.coordination.definition.ClusterDefinitions;
import io.shardwork.coordination.membership.DuplicateWorkerException;
import io.shardwork.coordination.session.SessionCloser;
import io.shardwork.coordination.session.SessionFileWriter;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.handler.HandlerLoadException;
import io.shardwork.metrics.MetricsEndpoint;
import io.shardwork.node.WorkerNode;
import io.shardwork.runner.RegionRunnerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one worker node until SIGTERM or Ctrl-C, then releases every region (final checkpoint, claim
 * deleted) and exits 0. With {@code metrics.port} (or {@code --metrics-port}) above 0 it serves
 * {@code /metrics} and {@code /health} on that port, bound to {@code --metrics-bind} (loopback by default).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one worker node; SIGTERM releases its regions and exits 0.")
public final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--id", paramLabel = "ID", description = "Worker id (overrides worker.id).")
    String id;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Serve /metrics and /health on port N (overrides metrics.port; 0 disables).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the metrics port listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String metricsBind;
    @Mixin
    SuperviseOptions supervision;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ShardworkConfig config = ShardworkConfig.load(configFile);
        if (id != null) {
            config = config.with(ShardworkConfigDef.WORKER_ID, id);
        }
        if (metricsPort != null) {
            config = config.with(ShardworkConfigDef.METRICS_PORT, Integer.toString(metricsPort));
        }
        Logging.format(config.logFormat());
        supervision.validate(spec.commandLine());
        if (supervision.supervise()) {
            // the child checks the handler and the cluster definition; its exit code 2 is never restarted
            return Supervisor.run(spec.commandLine().getParseResult().originalArgs(), supervision, SessionCloser.from(config),
                    spec.commandLine().getOut());
        }
        ShardworkConfig file = config;
        if (file.fileKeys().contains(ShardworkConfigDef.HANDLER)) {
            // the file names the handler (as the cluster must): one this host cannot load stops the start before
            // anything connects; otherwise the definition's handler is loaded when the node is built
            checkHandler(file, () -> RegionRunnerFactory.loadHandlers(file, RegionRunnerFactory.handlerConfig(file, file.workerId())));
        }
        config = resolve(config);
        ShutdownSignal signal = ShutdownSignal.install();
        ShardworkConfig resolved = config;
        WorkerNode node = checkHandler(config, () -> new WorkerNode(resolved, OwnershipListener.NONE));
        MetricsEndpoint endpoint = config.metricsPort() > 0 ? startEndpoint(config, node) : null;
        Optional<SessionFileWriter> sessionFile = supervision.sessionFileWriter();
        sessionFile.ifPresent(node.coordinator()::onSessionChange);
        try {
            node.start();
        } catch (DuplicateWorkerException duplicate) {
            closeQuietly(endpoint);
            throw new CommandFailure(ExitCodes.REFUSED, duplicate.getMessage(), duplicate);
        } catch (LayoutAccessDeniedException denied) {
            closeQuietly(endpoint);
            throw new CommandFailure(ExitCodes.REFUSED, denied.getMessage(), denied);
        } catch (IllegalStateException unreachable) {
            closeQuietly(endpoint);
            throw new CommandFailure(ExitCodes.UNAVAILABLE, unreachable.getMessage(), unreachable);
        } catch (Exception other) {
            closeQuietly(endpoint);
            throw other;
        }
        log.info("worker {} started: cluster {} definition version {}, zone {}, capacity {}, handler {}, delivery {}", config.workerId(),
                config.clusterName(), config.definitionVersion(), config.workerZone(), config.workerCapacity(), config.handler(), config.delivery());
        spec.commandLine().getOut().println("worker " + config.workerId() + " running (cluster " + config.clusterName() + ")");
        spec.commandLine().getOut().flush();
        signal.await();
        log.info("worker {}: {} received, releasing regions", config.workerId(), signal.received());
        node.close();
        closeQuietly(endpoint);
        sessionFile.ifPresent(SessionFileWriter::delete);
        log.info("worker {} stopped", config.workerId());
        return ExitCodes.OK;
    }

    /** Runs {@code load}; a handler that cannot be loaded is a configuration error (exit 2) naming the key and file. */
    private static <T> T checkHandler(ShardworkConfig config, java.util.function.Supplier<T> load) {
        try {
            return load.get();
        } catch (HandlerLoadException badHandler) {
            throw new CommandFailure(ExitCodes.USAGE, badHandler.getMessage() + " (key 'handler' in " + config.source() + ")", badHandler);
        }
    }

    /** The host file merged with the cluster definition; refuses (exit 2) a missing definition or drifted keys. */
    private static ShardworkConfig resolve(ShardworkConfig file) throws Exception {
        try {
            return ClusterDefinitions.resolve(file);
        } catch (IllegalStateException unreachable) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, unreachable.getMessage(), unreachable);
        }
    }

    /** Binds before the node joins the cluster, so a taken port fails fast with nothing to undo. */
    private MetricsEndpoint startEndpoint(ShardworkConfig config, WorkerNode node) {
        InetSocketAddress bind = new InetSocketAddress(metricsBind, config.metricsPort());
        MetricsEndpoint endpoint = new MetricsEndpoint(bind, node.meterRegistry()::scrape, node.health());
        try {
            endpoint.start();
        } catch (IOException taken) {
            node.close();
            throw new CommandFailure(ExitCodes.UNAVAILABLE, "Cannot serve metrics on " + metricsBind + ":" + config.metricsPort()
                    + " (metrics.port or --metrics-port): " + taken.getMessage(), taken);
        }
        log.info("worker {}: metrics on http://{}:{}/metrics, health on /health", config.workerId(), metricsBind,
                endpoint.address().getPort());
        return endpoint;
    }

    private static void closeQuietly(MetricsEndpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
