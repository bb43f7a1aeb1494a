/**
 * The reference handler {@code billing}: an invoice that is a pure function of the order (tax table
 * by region, integer cents, id from SHA-256 of the order id), written to the invoices topic in the
 * order's partition number.
 */
package io.shardwork.billing;
