package com.example.configdocs;

@H2Database
class H2SharedPoolExhaustionTest extends SharedPoolExhaustionContract {
}
