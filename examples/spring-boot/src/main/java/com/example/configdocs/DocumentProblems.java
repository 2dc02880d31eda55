package com.example.configdocs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The service's own refusals as RFC 9457 problems; apilock answers its own (409, 400, 503). */
@RestControllerAdvice
class DocumentProblems {

    @ExceptionHandler
    ProblemDetail invalidDocument(InvalidDocumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
