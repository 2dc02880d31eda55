package com.example.configdocs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The audit row of one revision: who wrote it, under which lock, for which request. */
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

    @Column(name = "request_id", nullable = false)
    private String requestId;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    protected ConfigDocumentChange() {
    }

    public ConfigDocumentChange(ConfigDocument document, String requestId) {
        this.documentName = document.name();
        this.revision = document.revision();
        this.fencingToken = document.fencingToken();
        this.changedBy = document.updatedBy();
        this.requestId = requestId;
        this.changedAt = document.updatedAt();
    }
}
