/**
 * One {@link io.shardwork.runner.RegionRunner} per owned region: its own thread and consumer, records
 * decoded and handled one at a time by the configured {@link io.shardwork.api.Handler}, effects through the region's ledger, progress through the fenced
 * {@link io.shardwork.runner.CheckpointWriter} port (at most once per interval, never per order).
 * {@link io.shardwork.runner.RegionRunnerFactory} makes them for one worker.
 */
package io.shardwork.runner;
