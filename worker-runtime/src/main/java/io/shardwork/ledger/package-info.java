/**
 * Where a region's effects go and how they become durable with its progress: the worker's shared
 * idempotent producer (at-least-once: acknowledged before the checkpoint), or one transactional
 * producer per region (exactly-once: transactional.id {@code shardwork-<cluster>-<region>}, input
 * offsets committed in the same transaction, a new owner's initTransactions() fences the old one).
 */
package io.shardwork.ledger;
