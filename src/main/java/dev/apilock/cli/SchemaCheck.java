package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSchema;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Whether the schema needs migrating, cheaply: one query against Liquibase's own record of what
 * it applied, compared with the change sets of the changelog in this jar. Running Liquibase on
 * every command would cost a second and take its lock each time, and a command killed while
 * holding it would stall every later one. The changelog is read as it ships, so the check follows
 * it whatever its change sets are called and however many there are.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * A change set of the changelog: what Liquibase records in {@code DATABASECHANGELOG} (id,
     * author, changelog path) and its {@code dbms} attribute.
     */
    record ChangeSet(String id, String author, String file, String dbms) {

        /** Liquibase's short name of a database: {@code h2}, {@code postgresql}, {@code mariadb}. */
        boolean appliesTo(String database) {
            return SchemaCheck.appliesTo(dbms, database);
        }

        Applied applied() {
            return new Applied(id, author, file);
        }
    }

    /** A row of {@code DATABASECHANGELOG}. */
    record Applied(String id, String author, String file) {
    }

    /**
     * Whether every change set the changelog applies to this kind of database is recorded as run.
     * Liquibase records a change set once it has run, so a schema that passes is complete even if a
     * migration is still going on; one that does not, or whose tables do not exist yet, is left to
     * Liquibase, which waits for a migration under way and applies what is missing.
     *
     * @param dbms Liquibase's short name of the database: {@code h2}, {@code postgresql}, {@code mariadb}
     */
    static boolean isCurrent(Connection connection, String dbms) {
        List<ChangeSet> changelog;
        try {
            changelog = changeSets(ApiLockSchema.CHANGELOG);
        } catch (UnreadableChangelogException e) {
            return false; // Liquibase will say what is wrong with it
        }
        Set<Applied> expected = new HashSet<>();
        changelog.stream().filter(changeSet -> changeSet.appliesTo(dbms)).forEach(c -> expected.add(c.applied()));
        try {
            return applied(connection, files(changelog)).containsAll(expected);
        } catch (SQLException e) {
            return false; // no DATABASECHANGELOG yet: a new database
        }
    }

    private static Set<Applied> applied(Connection connection, Set<String> files) throws SQLException {
        String sql = "SELECT ID, AUTHOR, FILENAME FROM DATABASECHANGELOG WHERE FILENAME IN ("
                + "?, ".repeat(files.size() - 1) + "?)";
        Set<Applied> applied = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (String file : files) {
                statement.setString(index++, file);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    applied.add(new Applied(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return applied;
    }

    private static Set<String> files(List<ChangeSet> changelog) {
        Set<String> files = new LinkedHashSet<>();
        changelog.forEach(changeSet -> files.add(changeSet.file()));
        return files;
    }

    /**
     * The change sets of a changelog on the class path, with those of the changelogs it
     * includes, in order.
     *
     * @throws UnreadableChangelogException if it cannot be read, or uses what this reading does not follow
     */
    static List<ChangeSet> changeSets(String changelog) {
        List<ChangeSet> changeSets = new ArrayList<>();
        read(changelog, changeSets, new ArrayDeque<>());
        if (changeSets.isEmpty()) {
            throw new UnreadableChangelogException("no change sets in " + changelog);
        }
        return changeSets;
    }

    private static void read(String path, List<ChangeSet> into, Deque<String> reading) {
        if (reading.contains(path) || reading.size() > 10) {
            throw new UnreadableChangelogException("changelogs include each other: " + reading);
        }
        reading.push(path);
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new UnreadableChangelogException("no " + path + " on the class path");
            }
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                String file = path;
                int depth = 0;
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                        continue;
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    depth++;
                    String element = xml.getLocalName();
                    if (depth == 1 && element.equals("databaseChangeLog")) {
                        file = attribute(xml, "logicalFilePath", path);
                    } else if (depth == 2 && element.equals("changeSet")) {
                        into.add(new ChangeSet(xml.getAttributeValue(null, "id"), xml.getAttributeValue(null, "author"),
                                file, attribute(xml, "dbms", "")));
                    } else if (depth == 2 && element.equals("include")) {
                        read(included(path, xml), into, reading);
                    } else if (depth == 2 && element.equals("includeAll")) {
                        throw new UnreadableChangelogException("includeAll in " + path);
                    }
                }
            } finally {
                xml.close();
            }
        } catch (IOException | XMLStreamException e) {
            throw new UnreadableChangelogException(path + ": " + e.getMessage());
        }
        reading.pop();
    }

    private static String included(String path, XMLStreamReader xml) {
        String file = xml.getAttributeValue(null, "file");
        if (file == null) {
            throw new UnreadableChangelogException("include without file in " + path);
        }
        if (Boolean.parseBoolean(attribute(xml, "relativeToChangelogFile", "false"))) {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? file : path.substring(0, slash + 1) + file;
        }
        return file.startsWith("classpath:") ? file.substring("classpath:".length()) : file;
    }

    /** Liquibase's {@code dbms} attribute: empty or {@code all} for every database, names, {@code !name}, {@code none}. */
    static boolean appliesTo(String dbmsAttribute, String dbms) {
        boolean anyNamed = false;
        for (String entry : dbmsAttribute.toLowerCase(Locale.ROOT).split(",")) {
            String name = entry.strip();
            if (name.isEmpty() || name.equals("all")) {
                continue;
            }
            if (name.equals("none")) {
                return false;
            }
            if (name.startsWith("!")) {
                if (name.substring(1).strip().equals(dbms)) {
                    return false;
                }
            } else if (name.equals(dbms)) {
                return true;
            } else {
                anyNamed = true;
            }
        }
        return !anyNamed;
    }

    private static String attribute(XMLStreamReader xml, String name, String fallback) {
        String value = xml.getAttributeValue(null, name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** The changelog says something this reading does not follow; Liquibase decides instead. */
    static final class UnreadableChangelogException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UnreadableChangelogException(String message) {
            super(message);
        }
    }

    /** What the changelog has applied: the number of apilock change sets and the last one. */
    record Version(int changeSets, String lastId, Instant lastAppliedAt) {
    }

    /** The apilock change sets recorded in {@code DATABASECHANGELOG}, and the last of them. */
    static Version version(DataSource dataSource) {
        Set<String> files = files(changeSets(ApiLockSchema.CHANGELOG));
        String in = "?, ".repeat(files.size() - 1) + "?";
        String sql = "SELECT ID, DATEEXECUTED, (SELECT COUNT(*) FROM DATABASECHANGELOG WHERE FILENAME IN (" + in + "))"
                + " FROM DATABASECHANGELOG WHERE FILENAME IN (" + in + ") ORDER BY ORDEREXECUTED DESC";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (int copy = 0; copy < 2; copy++) {
                for (String file : files) {
                    statement.setString(index++, file);
                }
            }
            statement.setMaxRows(1);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return new Version(0, null, null);
                }
                Timestamp applied = rs.getTimestamp(2);
                return new Version(rs.getInt(3), rs.getString(1), applied == null ? null : applied.toInstant());
            }
        } catch (SQLException e) {
            throw new ApiLockException("Could not read the schema version from DATABASECHANGELOG: " + e.getMessage(), e);
        }
    }
}
