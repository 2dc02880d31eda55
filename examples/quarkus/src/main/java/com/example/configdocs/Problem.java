package com.example.configdocs;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * An RFC 9457 problem detail. The holder members are set for a refusal by another lock holder
 * only; absent members are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail,
                      String user, String reference, String lockId, Instant expiresAt, Boolean retry) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(String type, String title, int status, String detail) {
        return new Problem(type, title, status, detail, null, null, null, null, null);
    }

    Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
