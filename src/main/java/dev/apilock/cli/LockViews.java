package dev.apilock.cli;

import dev.apilock.LockInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A lock row as JSON fields and as the words of a sentence. */
final class LockViews {

    private LockViews() {
    }

    /** The row's fields; {@code expiresInSeconds} and {@code state} as of {@code databaseNow}. */
    static Map<String, Object> json(LockInfo lock, Instant databaseNow) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lockId", lock.lockId());
        fields.put("type", lock.lockType());
        fields.put("user", lock.user());
        fields.put("reference", lock.referenceId());
        fields.put("fencingToken", lock.fencingToken());
        fields.put("acquiredAt", iso(lock.acquiredAt()));
        fields.put("expiresAt", iso(lock.expiresAt()));
        fields.put("expiresInSeconds", lock.released() ? null
                : Math.max(0L, Duration.between(databaseNow, lock.expiresAt()).toSeconds()));
        fields.put("state", state(lock, databaseNow));
        fields.put("released", lock.released());
        fields.put("releasedAt", iso(lock.releasedAt()));
        fields.put("releaseReason", lock.releaseReason() == null ? null : lock.releaseReason().name());
        return fields;
    }

    /** {@code active}, {@code expired} (unreleased, not yet reclaimed), or the release reason. */
    static String state(LockInfo lock, Instant databaseNow) {
        if (lock.released()) {
            return lock.releaseReason() == null ? "RELEASED" : lock.releaseReason().name();
        }
        return lock.activeAt(databaseNow) ? "active" : "expired";
    }

    /** {@code lock 01K... of type demo, held by alice for reference r-1 (fencing token 7)} */
    static String describe(LockInfo lock) {
        return Output.printable("lock " + lock.lockId() + " of type " + lock.lockType() + ", held by " + lock.user()
                + " for reference " + lock.referenceId() + " (fencing token " + lock.fencingToken()
                + ", acquired " + Output.time(lock.acquiredAt()) + ")");
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** {@code {"databaseTime": ..., "locks": [...]}}, one line, for {@code --json}. */
    static String jsonDocument(List<LockInfo> locks, Instant now) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("databaseTime", now.toString());
        document.put("locks", locks.stream().map(lock -> json(lock, now)).toList());
        return Json.write(document) + "\n";
    }
}
