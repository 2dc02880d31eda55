package com.example.configdocs;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /configdocs/{name}} writes a document's next revision; {@code GET} reads it. A
 * request blocked by another writer is answered 409 {@code application/problem+json} by apilock;
 * the lock records the signed-in user (else {@code anonymous}) and the request's
 * {@code X-Request-Id} (else its trace id, else a new id).
 */
@Path("/configdocs/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigDocumentResource {

    /** The body of a POST. */
    public record Update(String content) {
    }

    private final ConfigDocumentService documents;

    public ConfigDocumentResource(ConfigDocumentService documents) {
        this.documents = documents;
    }

    @GET
    public DocumentView get(@PathParam("name") String name) {
        return documents.find(name).map(DocumentView::of)
                .orElseThrow(() -> new NotFoundException("No document " + name));
    }

    /** @param wait whether to wait (up to 30 s) for another writer to finish, instead of a 409 at once */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public DocumentView update(@PathParam("name") String name, Update body, @QueryParam("wait") boolean wait) {
        String content = body == null ? null : body.content();
        return DocumentView.of(wait ? documents.updateWhenFree(name, content) : documents.update(name, content));
    }
}
