/**
 * The checker: {@link io.shardwork.verify.Verification} is the pure rule set over decoded records;
 * {@link io.shardwork.verify.Verifier} reads the three topics (invoices read_committed) and applies it.
 */
package io.shardwork.verify;
