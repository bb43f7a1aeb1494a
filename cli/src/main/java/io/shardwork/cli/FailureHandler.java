package io.shardwork.cli;

import io.shardwork.config.ConfigException;
import io.shardwork.config.ConfigProblem;
import io.shardwork.coordination.definition.DefinitionDriftException;
import io.shardwork.coordination.definition.MissingDefinitionException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Maps every exception a command throws to an exit code and one clear message, in one place. The stack
 * trace goes to the log at DEBUG (shown with --verbose), never to the operator by default.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof ConfigException config) {
            for (ConfigProblem problem : config.problems()) {
                err.println("error: " + problem.message());
            }
            err.println(config.problems().size() + (config.problems().size() == 1 ? " problem" : " problems") + " found; nothing was started.");
            return ExitCodes.USAGE;
        }
        if (failure instanceof MissingDefinitionException || failure instanceof DefinitionDriftException) {
            err.println("error: " + failure.getMessage());
            err.println("nothing was started.");
            return ExitCodes.USAGE;
        }
        if (failure instanceof CommandFailure known) {
            err.println("error: " + known.getMessage());
            log.debug("{} failed", commandLine.getCommandName(), failure);
            return known.exitCode();
        }
        err.println("error: " + commandLine.getCommandName() + " failed: " + describe(failure));
        err.println("(run with --verbose for the stack trace)");
        log.debug("{} failed", commandLine.getCommandName(), failure);
        return ExitCodes.FAILURE;
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
        Throwable cause = failure.getCause();
        while (cause != null && cause != failure) {
            text.append(": ").append(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            failure = cause;
            cause = cause.getCause();
        }
        return text.toString();
    }
}
