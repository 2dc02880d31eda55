package com.example.configdocs;

@H2Database
class H2ConfigDocsTest extends ConfigDocsContract {
}
