/**
 * Ownership history: every worker appends its claims, releases, accepted checkpoints and fenced writes
 * as JSON lines to {@code <history.dir>/<worker.id>.jsonl} ({@link io.shardwork.history.HistoryRecorder});
 * {@link io.shardwork.history.HistoryChecker} (pure) reads all workers' events together and proves the
 * fencing invariants after the fact: never two holders of one region under the same epoch, epochs that
 * only grow over claims, accepted checkpoints whose epoch never goes down. {@code verify --history DIR}
 * runs it.
 */
package io.shardwork.history;
