package io.shardwork.coordination.definition;

import io.shardwork.layout.DefinitionDocument;

/**
 * The cluster definition as read from ZooKeeper.
 *
 * @param document the definition
 * @param version  the znode version of {@code /definition}: the definition version members publish
 */
public record VersionedDefinition(DefinitionDocument document, int version) {
}
