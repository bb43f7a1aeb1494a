/**
 * Key-ordered concurrency within a region, as pure logic without threads, clocks or Kafka:
 * {@link io.shardwork.runner.ordering.KeyedDispatcher} decides which record may start (same key in offset
 * order, keys concurrent, a bound on in-flight calls and on buffered records) and
 * {@link io.shardwork.runner.ordering.CompletionTracker} turns completions in any order into the offset a
 * checkpoint may write (the lowest offset not yet completed). Both are single-threaded: the region's runner
 * thread owns them.
 */
package io.shardwork.runner.ordering;
