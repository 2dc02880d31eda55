/**
 * Jakarta integration, for Quarkus and Jakarta EE: the CDI interceptor that applies
 * {@link dev.apilock.ApiLocked}, CDI beans for {@link dev.apilock.LockOperations} and
 * {@link dev.apilock.LockAdmin}, and the Jakarta REST mapper that answers apilock's exceptions as
 * RFC 9457 problems. Optional: nothing here is loaded unless a CDI container discovers it (the jar
 * carries {@code META-INF/beans.xml} and a Jandex index); Jakarta REST, MicroProfile Config and
 * OpenTelemetry are used only where present.
 *
 * <p>Arguments and results are non-null unless documented otherwise.
 */
package dev.apilock.jakarta;
