package com.example.configdocs;

import org.springframework.test.context.TestPropertySource;

/** The same promises when the pool hands out connections with auto-commit off. */
@PostgresDatabase
@TestPropertySource(properties = {
        "spring.datasource.hikari.auto-commit=false",
        "spring.jpa.properties.hibernate.connection.provider_disables_autocommit=true"})
class PostgresAutoCommitOffConfigDocsTest extends ConfigDocsContract {
}
