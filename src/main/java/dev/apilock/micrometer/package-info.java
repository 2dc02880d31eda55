/**
 * Optional Micrometer metrics for apilock. Needs {@code io.micrometer:micrometer-core} on the
 * class path; the rest of apilock never loads this package.
 *
 * <p>Null-safety: nothing here is null unless its Javadoc says so.
 */
package dev.apilock.micrometer;
