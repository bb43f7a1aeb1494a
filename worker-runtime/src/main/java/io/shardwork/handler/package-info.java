/**
 * How a worker finds its handler: {@link io.shardwork.handler.HandlerRegistry} resolves the {@code handler}
 * key to a built-in name ({@link io.shardwork.handler.HandlerCatalog}) or a class in the jars of
 * {@code handler.path} (relative to the installation: {@link io.shardwork.config.InstallDirectory}), each plugin in its own class loader that sees
 * only the handler API ({@code io.shardwork.api}, module worker-api) and the JDK.
 */
package io.shardwork.handler;
