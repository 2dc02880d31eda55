/**
 * apilock: a database-backed, expiring, fail-fast lock shared by many application instances
 * through one relational database.
 *
 * <p>Start with {@link dev.apilock.LockTemplate}: it acquires a lock of a {@link dev.apilock.LockType},
 * runs a {@link dev.apilock.LockCallback} and releases the lock. Everything in this package is
 * public API; {@code dev.apilock.store} holds the persistence internals.
 *
 * <p>Null-safety: no parameter or return value in this package is null unless its Javadoc says so.
 */
package dev.apilock;
