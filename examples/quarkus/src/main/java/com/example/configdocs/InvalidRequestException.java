package com.example.configdocs;

/** The request itself is wrong (bad content or name); answered 400, nothing written. */
public class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
