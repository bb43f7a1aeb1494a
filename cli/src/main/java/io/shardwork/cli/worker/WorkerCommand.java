package io.shardwork.cli.worker;

import io.shardwork.cli.CommandFailure;
import io.shardwork.cli.ExitCodes;
import io.shardwork.cli.ShutdownSignal;
import io.shardwork.cli.supervise.SuperviseOptions;
import io.shardwork.cli.supervise.Supervisor;
import io.shardwork.config.ShardworkConfig;
import io.shardwork.config.ShardworkConfigDef;
import io.shardwork.coordination.LayoutAccessDeniedException;
import io.shardwork.coordination.membership.DuplicateWorkerException;
import io.shardwork.coordination.session.SessionCloser;
import io.shardwork.coordination.session.SessionFileWriter;
import io.shardwork.coordination.worker.OwnershipListener;
import io.shardwork.handler.HandlerLoadException;
import io.shardwork.node.WorkerNode;
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
 * deleted) and exits 0.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one worker node; SIGTERM releases its regions and exits 0.")
public final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Deployment file.")
    Path configFile;

    @Option(names = "--id", paramLabel = "ID", description = "Worker id (overrides worker.id).")
    String id;

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
        supervision.validate(spec.commandLine());
        if (supervision.supervise()) {
            return Supervisor.run(spec.commandLine().getParseResult().originalArgs(), supervision, SessionCloser.from(config),
                    spec.commandLine().getOut());
        }
        ShutdownSignal signal = ShutdownSignal.install();
        WorkerNode node;
        try {
            node = new WorkerNode(config, OwnershipListener.NONE);
        } catch (HandlerLoadException badHandler) {
            throw new CommandFailure(ExitCodes.USAGE, badHandler.getMessage() + " (key 'handler' in " + config.source() + ")", badHandler);
        }
        Optional<SessionFileWriter> sessionFile = supervision.sessionFileWriter();
        sessionFile.ifPresent(node.coordinator()::onSessionChange);
        try {
            node.start();
        } catch (DuplicateWorkerException duplicate) {
            throw new CommandFailure(ExitCodes.REFUSED, duplicate.getMessage(), duplicate);
        } catch (LayoutAccessDeniedException denied) {
            throw new CommandFailure(ExitCodes.REFUSED, denied.getMessage(), denied);
        } catch (IllegalStateException unreachable) {
            throw new CommandFailure(ExitCodes.UNAVAILABLE, unreachable.getMessage(), unreachable);
        }
        log.info("worker {} started: cluster {}, zone {}, capacity {}, handler {}, delivery {}", config.workerId(),
                config.clusterName(), config.workerZone(), config.workerCapacity(), config.handler(), config.delivery());
        spec.commandLine().getOut().println("worker " + config.workerId() + " running (cluster " + config.clusterName() + ")");
        spec.commandLine().getOut().flush();
        signal.await();
        log.info("worker {}: {} received, releasing regions", config.workerId(), signal.received());
        node.close();
        sessionFile.ifPresent(SessionFileWriter::delete);
        log.info("worker {} stopped", config.workerId());
        return ExitCodes.OK;
    }
}
