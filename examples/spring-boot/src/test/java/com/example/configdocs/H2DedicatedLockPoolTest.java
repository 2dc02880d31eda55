package com.example.configdocs;

@H2Database
class H2DedicatedLockPoolTest extends DedicatedLockPoolContract {
}
