package com.example.configdocs;

@PostgresDatabase
class PostgresDedicatedLockPoolTest extends DedicatedLockPoolContract {
}
