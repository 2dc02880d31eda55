package com.example.configdocs;

@PostgresDatabase
class PostgresSharedPoolExhaustionTest extends SharedPoolExhaustionContract {
}
