package dev.apilock.store;

/** A network timeout set on apilock's connection for one operation; {@link #restore()} puts the old one back. */
@FunctionalInterface
interface NetworkTimeout {

    NetworkTimeout NONE = () -> {
    };

    /** Never throws: on a connection that broke meanwhile there is nothing left to restore. */
    void restore();
}
