package io.shardwork.workload.chaos;

import io.shardwork.api.Context;
import io.shardwork.api.Decoder;
import io.shardwork.api.Handler;
import io.shardwork.api.HandlerConfig;
import io.shardwork.billing.BillingHandler;
import io.shardwork.order.Order;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A test aid, not for production: the handler {@code chaos} is {@code billing} with a fault a drill can
 * switch on while the worker runs, a handler call that hangs. With {@code handler.config.chaos.trigger.dir}
 * set, the handler looks (at most every {@value #LOOK_EVERY_MS} ms) for the file
 * {@code <dir>/hang-<worker.id>}, made of the lines {@code region=R} and {@code ms=N}. The first call for
 * region R after the file appears deletes it (so one file makes one hang, and the drill sees that the hang
 * began) and blocks for N ms, ignoring interrupts as a call stuck in I/O would; then it bills the order as
 * usual. What the runtime does meanwhile is the point of the drill: past {@code handler.timeout.ms} the
 * worker is not ready, past {@code shutdown.timeout.ms} a release abandons the run, and the epoch of the next
 * owner's claim fences whatever the woken call still sends.
 */
public final class ChaosHandler implements Handler<Order> {
    public static final String NAME = "chaos";
    public static final String TRIGGER_DIR = "chaos.trigger.dir";
    static final long LOOK_EVERY_MS = 200;

    private final BillingHandler billing = new BillingHandler();
    private final LongSupplier nanoClock;
    private Path trigger;
    private long nextLookNanos;

    public ChaosHandler() {
        this(System::nanoTime);
    }

    ChaosHandler(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public void open(HandlerConfig config) {
        billing.open(config);
        trigger = config.get(TRIGGER_DIR).map(dir -> Path.of(dir).resolve("hang-" + config.workerId())).orElse(null);
    }

    @Override
    public Decoder<Order> decoder() {
        return billing.decoder();
    }

    @Override
    public void handle(Order order, Context context) throws Exception {
        hangIfAsked(context.region());
        billing.handle(order, context);
    }

    private void hangIfAsked(String region) throws IOException {
        long now = nanoClock.getAsLong();
        if (trigger == null || now - nextLookNanos < 0) {
            return;
        }
        nextLookNanos = now + TimeUnit.MILLISECONDS.toNanos(LOOK_EVERY_MS);
        Optional<Hang> hang = Hang.read(trigger);
        if (hang.isPresent() && hang.get().region().equals(region)) {
            try {
                Files.delete(trigger);
            } catch (NoSuchFileException takenMeanwhile) {
                return;
            }
            sleepUninterruptibly(hang.get().millis());
        }
    }

    private static void sleepUninterruptibly(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a trigger file asks for. */
    record Hang(String region, long millis) {
        static Optional<Hang> read(Path file) throws IOException {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException absent) {
                return Optional.empty();
            }
            String region = null;
            long millis = -1;
            for (String line : text.split("\n")) {
                String trimmed = line.trim();
                if (trimmed.startsWith("region=")) {
                    region = trimmed.substring("region=".length());
                } else if (trimmed.startsWith("ms=")) {
                    millis = Long.parseLong(trimmed.substring("ms=".length()));
                }
            }
            if (region == null || millis < 0) {
                throw new IOException("The chaos trigger " + file + " must hold the lines region=R and ms=N, not: " + text.strip());
            }
            return Optional.of(new Hang(region, millis));
        }
    }
}
