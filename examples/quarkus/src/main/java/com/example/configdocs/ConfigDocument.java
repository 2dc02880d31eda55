package com.example.configdocs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A named configuration document; every write bumps its revision. */
@Entity
@Table(name = "config_documents")
public class ConfigDocument {

    @Id
    @Column(name = "name", length = 128, nullable = false, updatable = false)
    private String name;

    @Column(name = "content", length = 10_000, nullable = false)
    private String content;

    @Column(name = "revision", nullable = false)
    private long revision;

    /** The fencing token of the lock this revision was written under. */
    @Column(name = "fencing_token", nullable = false)
    private long fencingToken;

    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ConfigDocument() {
    }

    /** A document not yet written: revision 0. */
    public ConfigDocument(String name) {
        this.name = name;
    }

    /**
     * Writes the next revision under the lock with {@code token}. A token not above the one the
     * document was last written with comes from a holder whose lock has meanwhile expired.
     */
    public void write(String newContent, String user, long token, Instant now) {
        if (token <= fencingToken) {
            throw new IllegalStateException("Document " + name + " was written under fencing token " + fencingToken
                    + " already; refusing a write under the older token " + token);
        }
        content = newContent;
        revision++;
        fencingToken = token;
        updatedBy = user;
        updatedAt = now;
    }

    public String name() {
        return name;
    }

    public String content() {
        return content;
    }

    public long revision() {
        return revision;
    }

    public long fencingToken() {
        return fencingToken;
    }

    public String updatedBy() {
        return updatedBy;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
