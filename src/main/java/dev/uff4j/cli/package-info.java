/**
 * Internal: the command line, {@code bin/uff4j} (picocli). Not API: public only so that other uff4j packages can use
 * it; it may change in any release and is left out of the published javadoc.
 */
package dev.uff4j.cli;
