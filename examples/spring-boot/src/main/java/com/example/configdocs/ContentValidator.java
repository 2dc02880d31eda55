package com.example.configdocs;

/**
 * Checks a document's new content before it is written; runs while the update lock is held.
 * Throws {@link InvalidDocumentException} to refuse it.
 */
@FunctionalInterface
public interface ContentValidator {

    void validate(String name, String content);
}
