package com.example.configdocs;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400: content or a name this application refuses. */
@Provider
public class InvalidRequestMapper implements ExceptionMapper<InvalidRequestException> {

    @Override
    public Response toResponse(InvalidRequestException e) {
        return new Problem("/problems/invalid-request", "Invalid request", 400, e.getMessage()).toResponse();
    }
}
