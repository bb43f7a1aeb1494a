package io.shardwork.api;

/**
 * What a worker does with one work item of type {@code T}: the one interface a handler author implements.
 * A worker runs the handler named by its {@code handler} key: a built-in name ({@code noop}, {@code billing})
 * or the fully qualified name of a public class with a public no-arg constructor, loaded from the jars in
 * {@code handler.path}.
 *
 * <h2>Lifecycle</h2>
 * One instance per region run: when a worker starts processing a region it makes a new instance, calls
 * {@link #open} once, takes its {@link #decoder()} once, calls {@link #handle} for every record, and
 * {@link #close()} when the region stops (released, fenced or abandoned). The worker also makes, opens and
 * closes one instance when it starts, before it joins the cluster, so that a handler that cannot open
 * stops the start instead of every region later; and one more, on a thread of its own, whose decoder it gives the
 * latest records of the input topic (read only) so that the decode path is compiled before its first region
 * arrives: that instance is opened, decodes, and is closed; its {@code handle} is never called.
 *
 * <p>A worker standing by for a region (cluster key {@code standby.replicas}) opens an instance for it ahead of
 * time and gives its decoder the region's records to {@link Decoder#remember} as they come; if the worker takes
 * the region over, that instance is the run's, and {@code handle} is called on it from then on; otherwise it is
 * closed without having handled anything.
 *
 * <h2>Threading</h2>
 * All calls on one instance come from one thread at a time (the region's runner thread; before a standby's
 * instance is taken over, the worker's standby thread), one record at a time, in the region's offset order. An implementation need not be thread-safe unless it shares state between instances (a
 * static cache, a connection pool): instances of different regions run concurrently. A call may block;
 * the region makes no progress meanwhile.
 *
 * <p>With {@code runner.ordering=key} (a cluster-wide setting) {@link #open}, {@link #decoder()}, the decoder
 * and {@link #close()} still run on the region's runner thread, but {@link #handle} is called from the
 * worker's pool threads, concurrently for records of different record keys (up to {@code runner.concurrency}
 * at once per region); records with the same key are handled one at a time, in offset order, each after the
 * previous one's retries and dead letter. {@code handle} must then be thread-safe; what {@code open} set up is
 * visible to it. A blocked call holds back only its own key.
 *
 * <h2>What may be delivered twice</h2>
 * Delivery is at least once. The same record may be handled again:
 * <ul>
 *   <li>after a crash or a lost session, every record after the region's last checkpoint is delivered
 *       again to the next owner (in exactly-once mode the effects sent through {@link Context#output()}
 *       by the earlier delivery were aborted, so they appear once; other side effects do not);</li>
 *   <li>when {@code handle} throws, it is called again for the same item (see {@link Context#attempt()}),
 *       up to {@code retry.max.attempts} times with backoff, after which the record goes to the dead-letter
 *       topic. Effects sent by a failed attempt are not withdrawn;</li>
 *   <li>a paused old owner (a zombie) may still be running a record while the new owner handles it.</li>
 * </ul>
 * So effects must be idempotent: derived only from the record (the same record gives the same effect),
 * keyed by an id of the item or {@link Context#idempotencyKey()}, and fenced with {@link Context#epoch()}
 * when they go to a store of the handler's own.
 *
 * <h2>Failures</h2>
 * An exception, or an {@link Error}, thrown by {@code handle} fails the attempt; the worker retries and
 * then dead-letters the record, and never dies of it. An exception from {@code open} fails the region's
 * run (and, at start, the worker's start, with exit code 2). A handler that must stop the region (it lost
 * its own fencing) throws {@link Output.OutputFencedException}.
 *
 * <h2>Fencing</h2>
 * Once another worker has claimed the region (a larger epoch), the old owner's progress no longer counts:
 * its checkpoints are refused. In exactly-once mode its open transaction is aborted by the new owner, so
 * nothing it sent through {@link Context#output()} becomes visible; in at-least-once mode a paused old
 * owner's sends may still arrive, as duplicates of effects the new owner writes again (identical when derived
 * from the record alone). Once the runner knows it is fenced or abandoned, {@link Output#send} throws
 * {@link Output.OutputFencedException}. Writes to a store of the handler's own are fenced only if that store
 * refuses epochs lower than the highest it has seen.
 *
 * @param <T> the decoded work item
 */
public interface Handler<T> {

    /**
     * Prepares this instance: reads its settings, opens its connections. Called once, before
     * {@link #decoder()} and the first {@link #handle}.
     *
     * @param config the {@code handler.config.*} values of the worker's file (prefix stripped) and the
     *               cluster's topic names
     * @throws Exception when the handler cannot work with this configuration
     */
    default void open(HandlerConfig config) throws Exception {
    }

    /** The decoder of this instance's records, called once after {@link #open}; it runs on the same thread. */
    Decoder<T> decoder();

    /**
     * Handles one work item. Called on the region's runner thread.
     *
     * @param item    what the decoder made of the record
     * @param context where the record came from, the epoch to fence own writes with, and the output through
     *                which effects go to Kafka (in exactly-once mode inside the region's transaction)
     * @throws Exception to fail this attempt; the item is retried, then dead-lettered
     */
    void handle(T item, Context context) throws Exception;

    /** Releases what {@link #open} acquired. Called once, on the runner thread, after the last {@code handle}. */
    default void close() throws Exception {
    }
}
