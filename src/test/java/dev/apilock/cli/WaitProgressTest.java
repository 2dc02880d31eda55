package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.LockInfo;
import dev.apilock.LockType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The line {@code run --wait} keeps rewriting on a terminal. */
class WaitProgressTest {

    private static final LockType TYPE = LockType.of("deploy", Duration.ofMinutes(1));

    private final StringWriter screen = new StringWriter();

    @Test
    void namesTheHolderAndItsTimeLeftByTheDatabaseClockThenErasesItself() {
        Instant databaseNow = Instant.now().plus(Duration.ofHours(3)); // the database's clock is far ahead of ours
        LockInfo holder = holder("alice", "job-17", databaseNow.plusSeconds(41));
        WaitProgress progress = new WaitProgress(new PrintWriter(screen), 120, Duration.ofSeconds(30), () -> databaseNow);

        progress.blocked(TYPE, Optional.of(holder));
        String drawn = screen.toString();
        progress.close();

        assertThat(drawn).matches("\\rapilock: waiting for lock deploy \\(0 s of 30s\\): held by alice for job-17,"
                + " (40\\.\\d|41\\.0) s left");
        String erased = screen.toString().substring(drawn.length());
        assertThat(erased).isEqualTo("\r" + " ".repeat(drawn.length() - 1) + "\r");
        progress.blocked(TYPE, Optional.of(holder));
        assertThat(screen.toString()).as("nothing after close").hasSize(drawn.length() + erased.length());
    }

    @Test
    void aShorterLineCoversTheLongerOneBeforeItAndALongLineIsCutToTheTerminal() {
        WaitProgress progress = new WaitProgress(new PrintWriter(screen), 60, Duration.ofMinutes(2), Instant::now);

        progress.blocked(TYPE, Optional.of(holder("a-user-with-a-long-name", "a-reference-with-a-long-name",
                Instant.now().plusSeconds(10))));
        String first = screen.toString();
        progress.blocked(TYPE, Optional.empty()); // the holder went away between attempts
        String second = screen.toString().substring(first.length());
        progress.close();

        assertThat(first).hasSize(60).endsWith("...");
        assertThat(second).startsWith("\rapilock: waiting for lock deploy (0 s of 2m)   ")
                .endsWith("\rapilock: waiting for lock deploy (0 s of 2m)");
    }

    @Test
    void anExpiredHolderIsShownAsExpired() {
        Instant now = Instant.now();
        WaitProgress progress = new WaitProgress(new PrintWriter(screen), 120, Duration.ofSeconds(5), () -> now);

        progress.blocked(TYPE, Optional.of(holder("bob", "r-1", now.minusSeconds(2))));
        progress.close();

        assertThat(screen.toString()).startsWith("\rapilock: waiting for lock deploy (0 s of 5s): held by bob for r-1,"
                + " expired\r");
    }

    private static LockInfo holder(String user, String reference, Instant expiresAt) {
        return new LockInfo("01ARZ3NDEKTSV4RRFFQ69G5FAV", TYPE.name(), user, reference, expiresAt.minusSeconds(60),
                expiresAt, 7, false, null, null);
    }
}
