package com.example.configdocs;

import org.springframework.stereotype.Component;

/** The production rules: content must not be blank and at most {@value #MAX_LENGTH} characters. */
@Component
public class ContentRules implements ContentValidator {

    public static final int MAX_LENGTH = 65_536;

    @Override
    public void validate(String name, String content) {
        if (content == null || content.isBlank()) {
            throw new InvalidDocumentException("Content of " + name + " must not be blank");
        }
        if (content.length() > MAX_LENGTH) {
            throw new InvalidDocumentException("Content of " + name + " must be at most " + MAX_LENGTH
                    + " characters, was " + content.length());
        }
    }
}
