package dev.apilock.cli;

/** Exit codes of the command line, from {@code sysexits.h} where one fits. */
final class ExitCode {

    static final int OK = 0;
    /** EX_USAGE: bad arguments, an unknown command, invalid input such as a bad type name. */
    static final int USAGE = 64;
    /** EX_UNAVAILABLE: the database cannot be reached or refuses the credentials. */
    static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: anything unexpected; rerun with --verbose for the stack trace. */
    static final int INTERNAL = 70;
    /** EX_TEMPFAIL: the lock is held by someone else, like {@code flock -n -E 75}. */
    static final int BLOCKED = 75;
    /** As shells do: the command to run under the lock could not be started. */
    static final int CANNOT_RUN = 127;

    private ExitCode() {
    }
}
