package com.example.configdocs;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** The application's validator, with {@link TestHooks#validation()} in front of it. */
@Alternative
@Priority(1)
@ApplicationScoped
public class HookedContentValidator extends ContentValidator {

    private final TestHooks hooks;

    public HookedContentValidator(TestHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public void validate(String documentName, String content) {
        hooks.noteInside(documentName);
        hooks.validation().reach(documentName);
        super.validate(documentName, content);
    }
}
