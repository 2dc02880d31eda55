package com.example.configdocs;

import com.github.f4b6a3.ulid.UlidCreator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * {@code POST /configdocs/{name}} writes a document's next revision; {@code GET} reads it. A
 * request blocked by another writer is answered 409 (see {@link ApiLockProblems}).
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

    /**
     * @param wait      how long to wait for the lock, ISO-8601 ({@code PT5S}); by default the
     *                  request is refused at once when another writer holds it
     * @param user      recorded as the writer and the lock's holder
     * @param requestId recorded with the lock, so a refused caller learns which request holds it
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public DocumentView update(@PathParam("name") String name, Update body,
                               @QueryParam("wait") @DefaultValue("PT0S") String wait,
                               @HeaderParam("X-User") @DefaultValue("anonymous") String user,
                               @HeaderParam("X-Request-Id") String requestId) {
        String reference = requestId == null || requestId.isBlank() ? UlidCreator.getMonotonicUlid().toString() : requestId;
        String content = body == null ? null : body.content();
        return DocumentView.of(documents.update(name, content, user, reference, parseWait(wait)));
    }

    private static Duration parseWait(String wait) {
        try {
            return Duration.parse(wait);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("wait must be an ISO-8601 duration such as PT5S, was '" + wait + "'");
        }
    }
}
