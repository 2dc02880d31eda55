package com.example.configdocs;

@PostgresDatabase
class PostgresConfigDocsTest extends ConfigDocsContract {
}
