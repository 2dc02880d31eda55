package dev.apilock.jakarta;

import java.util.Map;

/**
 * Writes an {@link dev.apilock.ApiLockProblem} body as JSON itself, so that the mapper needs no
 * JSON provider of the host's (Jackson, JSON-B) nor its configuration. Values are strings,
 * numbers, booleans or null.
 */
final class ProblemJson {

    private ProblemJson() {
    }

    static String write(Map<String, Object> members) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> member : members.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, member.getKey());
            json.append(':');
            Object value = member.getValue();
            if (value == null) {
                json.append("null");
            } else if (value instanceof Number || value instanceof Boolean) {
                json.append(value);
            } else {
                string(json, value.toString());
            }
        }
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
