package com.example.configdocs;

/** A document name or content the service refuses; answered with 400. */
public class InvalidDocumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidDocumentException(String message) {
        super(message);
    }
}
