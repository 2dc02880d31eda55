package com.example.configdocs;

import com.github.f4b6a3.ulid.UlidCreator;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /configdocs/{name}} with {@code {"content": "..."}} writes the next revision;
 * {@code ?wait=PT5S} waits that long for a concurrent update instead of answering 409 at once.
 * The caller is named by {@code X-User}, the request by {@code X-Request-Id} (a new ULID if absent).
 */
@RestController
@RequestMapping("/configdocs")
class ConfigDocumentController {

    private final ConfigDocumentService service;

    ConfigDocumentController(ConfigDocumentService service) {
        this.service = service;
    }

    record UpdateRequest(String content) {
    }

    record DocumentView(String name, String content, long revision, long fencingToken, String updatedBy,
                        Instant updatedAt) {

        static DocumentView of(ConfigDocument document) {
            return new DocumentView(document.getName(), document.getContent(), document.getRevision(),
                    document.getFencingToken(), document.getUpdatedBy(), document.getUpdatedAt());
        }
    }

    @PostMapping("/{name}")
    DocumentView update(@PathVariable String name, @RequestBody UpdateRequest request,
                        @RequestParam(defaultValue = "PT0S") Duration wait,
                        @RequestHeader(name = "X-User", defaultValue = "anonymous") String user,
                        @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
        String reference = requestId != null ? requestId : UlidCreator.getMonotonicUlid().toString();
        return DocumentView.of(service.update(name, request.content(), user, reference, wait));
    }

    @GetMapping("/{name}")
    ResponseEntity<DocumentView> find(@PathVariable String name) {
        return ResponseEntity.of(service.find(name).map(DocumentView::of));
    }
}
