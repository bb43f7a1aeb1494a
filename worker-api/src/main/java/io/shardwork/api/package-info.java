/**
 * The handler API, JDK only: a handler author implements {@link io.shardwork.api.Handler} (lifecycle,
 * threading, what may be delivered twice, failures, fencing) and its {@link io.shardwork.api.Decoder}, and
 * uses {@link io.shardwork.api.Context}, {@link io.shardwork.api.Output} and
 * {@link io.shardwork.api.HandlerConfig}. Nothing else is needed to write one.
 */
package io.shardwork.api;
