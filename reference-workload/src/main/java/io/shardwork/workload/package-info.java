/**
 * The built-in handler names of the reference workload ({@link io.shardwork.workload.StandardHandlers}):
 * {@code noop} and {@code billing}, both ordinary users of the handler API.
 */
package io.shardwork.workload;
