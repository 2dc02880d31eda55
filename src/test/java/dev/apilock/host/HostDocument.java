package dev.apilock.host;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A host application's own entity, living in the same persistence unit as ApiLockEntity. */
@Entity
@Table(name = "host_documents")
public class HostDocument {

    @Id
    private Long id;

    @Column(name = "title", length = 100, nullable = false)
    private String title;

    /** The fencing token of the lock under which this document was last written. */
    @Column(name = "written_with_token", nullable = false)
    private long writtenWithToken;

    /** Incremented by every write: a lost update shows as a revision lower than the writes made. */
    @Column(name = "revision", nullable = false)
    private long revision;

    protected HostDocument() {
    }

    public HostDocument(Long id, String title, long writtenWithToken) {
        this.id = id;
        this.title = title;
        this.writtenWithToken = writtenWithToken;
    }

    public String getTitle() {
        return title;
    }

    public long getWrittenWithToken() {
        return writtenWithToken;
    }

    public long getRevision() {
        return revision;
    }

    /** A new revision written under the lock with {@code token}. */
    public void revise(String newTitle, long token) {
        this.title = newTitle;
        this.writtenWithToken = token;
        this.revision++;
    }
}
