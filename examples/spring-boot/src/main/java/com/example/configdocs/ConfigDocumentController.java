package com.example.configdocs;

import java.security.Principal;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /configdocs/{name}} with {@code {"content": "..."}} writes the next revision, or
 * answers 409 while another instance is writing; {@code ?wait=true} waits for it instead.
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
                        @RequestParam(defaultValue = "false") boolean wait, Principal user) {
        ConfigDocument written = wait
                ? service.updateWaiting(name, request.content(), user.getName())
                : service.update(name, request.content(), user.getName());
        return DocumentView.of(written);
    }

    @GetMapping("/{name}")
    ResponseEntity<DocumentView> find(@PathVariable String name) {
        return ResponseEntity.of(service.find(name).map(DocumentView::of));
    }
}
