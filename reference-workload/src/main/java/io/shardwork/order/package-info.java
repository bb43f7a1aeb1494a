/**
 * The order of the reference workload and its strict codec: every record of the orders topic either
 * decodes to a valid {@link io.shardwork.order.Order} of its partition's region or is rejected with a
 * reason; decoding never throws.
 */
package io.shardwork.order;
