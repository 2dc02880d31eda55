package com.example.configdocs;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class H2ConfigDocumentApiTest extends ConfigDocumentApiContract {
}
