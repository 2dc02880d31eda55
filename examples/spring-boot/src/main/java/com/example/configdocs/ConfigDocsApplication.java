package com.example.configdocs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A service for configuration documents that many instances update through one database. */
@SpringBootApplication
public class ConfigDocsApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConfigDocsApplication.class, args);
    }
}
