package com.example.configdocs;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks new content before it is written. Called while the lock is held, so a validator may
 * compare against the current revision; keep it short, every other writer waits for it.
 */
@ApplicationScoped
public class ContentValidator {

    static final int MAX_LENGTH = 10_000;

    /** @throws InvalidRequestException content that must not be written */
    public void validate(String documentName, String content) {
        if (content == null || content.isBlank()) {
            throw new InvalidRequestException("Content of " + documentName + " must not be blank");
        }
        if (content.length() > MAX_LENGTH) {
            throw new InvalidRequestException("Content of " + documentName + " must be at most " + MAX_LENGTH
                    + " characters, was " + content.length());
        }
    }
}
