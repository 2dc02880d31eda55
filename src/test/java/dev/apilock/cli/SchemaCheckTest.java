package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLockSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cheap check that decides whether a command runs Liquibase first, on real H2 databases. */
class SchemaCheckTest {

    @Test
    void theChangelogIsReadAsItShipsEveryChangeSetWithItsDbms() throws Exception {
        List<SchemaCheck.ChangeSet> changeSets = SchemaCheck.changeSets(ApiLockSchema.CHANGELOG);

        // Counted independently, from the file's text: every changeSet element, nothing else.
        String xml = Files.readString(Path.of("changelog/apilock.changelog.xml"), StandardCharsets.UTF_8)
                .replaceAll("(?s)<!--.*?-->", "");
        Matcher element = Pattern.compile("<changeSet\\s[^>]*\\bid=\"([^\"]+)\"").matcher(xml);
        List<String> ids = element.results().map(match -> match.group(1)).toList();
        assertThat(changeSets).extracting(SchemaCheck.ChangeSet::id).containsExactlyElementsOf(ids);
        assertThat(changeSets).allSatisfy(changeSet -> {
            assertThat(changeSet.author()).isNotBlank();
            assertThat(changeSet.file()).isEqualTo(ApiLockSchema.CHANGELOG);
        });
        for (String dbms : List.of("h2", "postgresql", "mariadb")) {
            List<String> applying = changeSets.stream().filter(changeSet -> changeSet.appliesTo(dbms))
                    .map(SchemaCheck.ChangeSet::id).toList();
            assertThat(applying).as("each id once on %s", dbms).doesNotHaveDuplicates().isNotEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|h2|true", "all|h2|true", "h2|h2|true", "postgresql|h2|false", "'h2, mariadb'|mariadb|true",
            "'H2,MariaDB'|mariadb|true", "!h2|h2|false", "!h2|postgresql|true", "'postgresql, !h2'|mariadb|false",
            "none|h2|false"})
    void dbmsAttributesAreReadAsLiquibaseReadsThem(String attribute, String dbms, boolean applies) {
        assertThat(SchemaCheck.appliesTo(attribute, dbms)).isEqualTo(applies);
    }

    @Test
    void aNewDatabaseIsNotCurrentAMigratedOneIsAndOneMissingAChangeSetIsNot() throws SQLException {
        String url = "jdbc:h2:mem:schemacheck-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            assertThat(SchemaCheck.isCurrent(connection, "h2")).as("a new database").isFalse();

            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL(url);
            dataSource.setUser("sa");
            ApiLockSchema.migrate(dataSource);
            assertThat(SchemaCheck.isCurrent(connection, "h2")).as("migrated").isTrue();
            assertThat(SchemaCheck.version(dataSource).changeSets()).isEqualTo(
                    SchemaCheck.changeSets(ApiLockSchema.CHANGELOG).stream().filter(c -> c.appliesTo("h2")).count());

            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM DATABASECHANGELOG WHERE ORDEREXECUTED"
                        + " = (SELECT MAX(ORDEREXECUTED) FROM DATABASECHANGELOG)");
                assertThat(SchemaCheck.isCurrent(connection, "h2")).as("the last change set not applied").isFalse();
                statement.executeUpdate("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED,"
                        + " EXECTYPE) VALUES ('someone-elses', 'host', 'host/changelog.xml', CURRENT_TIMESTAMP, 99, 'EXECUTED')");
                assertThat(SchemaCheck.isCurrent(connection, "h2")).as("another changelog's rows change nothing").isFalse();
            }
        }
    }
}
