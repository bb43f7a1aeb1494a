/**
 * Failing orders: the bounded retry schedule with jitter ({@link io.shardwork.deadletter.RetryBackoff}),
 * time and randomness behind {@link io.shardwork.deadletter.Sleeper} and
 * {@link io.shardwork.deadletter.JitterSource}, and the dead-letter record with its headers.
 */
package io.shardwork.deadletter;
