/** Seeded order generation (with poison records) and an idempotent, optionally paced order producer. */
package io.shardwork.produce;
