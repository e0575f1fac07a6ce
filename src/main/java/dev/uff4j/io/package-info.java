/**
 * Internal: writing files whole or not at all, and deleting temporary files when the JVM stops. Not API: public only
 * so that other uff4j packages can use it; it may change in any release and is left out of the published javadoc.
 */
package dev.uff4j.io;
