/**
 * Persistence internals of apilock: the {@link dev.apilock.store.ApiLockEntity} mapping, the
 * repository and the native SQL of each supported database. Not API, except that a host
 * application adds {@code ApiLockEntity} to its own persistence unit.
 *
 * <p>Null-safety: nothing here is null unless its Javadoc says so.
 */
package dev.apilock.store;
