/**
 * The public handler API: {@link io.shardwork.handler.OrderHandler} (what may be delivered twice,
 * which thread calls it), {@link io.shardwork.handler.HandlerContext} (offset, epoch, attempt) and
 * {@link io.shardwork.handler.RegionOutput} (effects that join the region's transaction in
 * exactly-once mode); handlers are chosen by name through {@link io.shardwork.handler.HandlerRegistry}.
 */
package io.shardwork.handler;
