package com.example.configdocs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A named configuration document; each update raises its revision by one. */
@Entity
@Table(name = "config_documents")
public class ConfigDocument {

    @Id
    @Column(name = "name", length = 128)
    private String name;

    @Column(name = "content", length = ContentRules.MAX_LENGTH, nullable = false)
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
        // for JPA
    }

    /** A document not yet written: revision 0. */
    static ConfigDocument named(String name) {
        ConfigDocument document = new ConfigDocument();
        document.name = name;
        return document;
    }

    /** Writes the next revision. */
    void write(String content, long fencingToken, String user, Instant now) {
        this.content = content;
        this.revision++;
        this.fencingToken = fencingToken;
        this.updatedBy = user;
        this.updatedAt = now;
    }

    public String getName() {
        return name;
    }

    public String getContent() {
        return content;
    }

    public long getRevision() {
        return revision;
    }

    public long getFencingToken() {
        return fencingToken;
    }

    public String getUpdatedBy() {
        return updatedBy;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
