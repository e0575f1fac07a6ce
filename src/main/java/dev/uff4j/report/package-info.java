/**
 * Internal: PNG plots and image grids for {@code bin/uff4j compare}. Not API: public only so that other uff4j packages
 * can use it; it may change in any release and is left out of the published javadoc.
 */
package dev.uff4j.report;
