package com.example.configdocs;

import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail, for this application's own refusals (apilock answers its own). */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
