package dev.apilock.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Whether {@code apilock.datasource.url} gives apilock a pool of its own. */
abstract class OnOwnDataSource extends SpringBootCondition {

    static final String URL = "apilock.datasource.url";

    private final boolean wanted;

    OnOwnDataSource(boolean wanted) {
        this.wanted = wanted;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty(URL);
        boolean present = url != null && !url.isBlank();
        String message = present ? URL + " is set" : URL + " is not set";
        return present == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }

    static final class Present extends OnOwnDataSource {
        Present() {
            super(true);
        }
    }

    static final class Absent extends OnOwnDataSource {
        Absent() {
            super(false);
        }
    }
}
