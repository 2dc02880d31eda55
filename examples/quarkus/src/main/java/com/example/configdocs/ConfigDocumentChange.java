package com.example.configdocs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The audit row of one revision: who wrote it, and under which lock (whose row names the request). */
@Entity
@Table(name = "config_document_changes")
public class ConfigDocumentChange {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "document_name", length = 128, nullable = false)
    private String documentName;

    @Column(name = "revision", nullable = false)
    private long revision;

    @Column(name = "fencing_token", nullable = false)
    private long fencingToken;

    @Column(name = "changed_by", nullable = false)
    private String changedBy;

    @Column(name = "lock_id", length = 26, nullable = false)
    private String lockId;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    protected ConfigDocumentChange() {
    }

    public ConfigDocumentChange(ConfigDocument document, String lockId) {
        this.documentName = document.name();
        this.revision = document.revision();
        this.fencingToken = document.fencingToken();
        this.changedBy = document.updatedBy();
        this.lockId = lockId;
        this.changedAt = document.updatedAt();
    }
}
