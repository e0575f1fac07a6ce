/**
 * Internal: helpers shared by the backends: the argument checks every op runs first ({@code Shapes}), cached row views
 * and the AdamW step's constants. Not API: public only so that other uff4j packages can use it; it may change in any
 * release and is left out of the published javadoc.
 */
package dev.uff4j.backend.support;
