package dev.apilock.store;

import java.time.Instant;

/**
 * A held lock's expiry after an extension, with the database clock it was judged by.
 *
 * @param expiresAt   the new expiry
 * @param databaseNow the database clock at the extension
 */
public record Lease(Instant expiresAt, Instant databaseNow) {
}
