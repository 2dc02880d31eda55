package com.example.configdocs;

@PostgresDatabase
class PostgresOneConnectionPoolTest extends OneConnectionPoolContract {
}
