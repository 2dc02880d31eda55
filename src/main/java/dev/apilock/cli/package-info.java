/**
 * The {@code apilock} command line: a thin shell over {@link dev.apilock.LockTemplate} and
 * {@link dev.apilock.LockAdmin}, shipped as the runnable {@code apilock-<version>-cli.jar}.
 * Not API: only its commands, options, output and exit codes are meant to be relied on.
 *
 * <p>Null-safety: nothing here is null unless its Javadoc says so.
 */
package dev.apilock.cli;
