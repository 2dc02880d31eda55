package com.example.configdocs;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ConfigDocumentRepository extends JpaRepository<ConfigDocument, String> {
}
