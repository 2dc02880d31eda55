package com.example.configdocs;

import java.time.Instant;

/** A document as the API shows it. */
public record DocumentView(String name, String content, long revision, long fencingToken, String updatedBy,
                           Instant updatedAt) {

    static DocumentView of(ConfigDocument document) {
        return new DocumentView(document.name(), document.content(), document.revision(), document.fencingToken(),
                document.updatedBy(), document.updatedAt());
    }
}
