package com.example.configdocs;

@H2Database
class H2OneConnectionPoolTest extends OneConnectionPoolContract {
}
