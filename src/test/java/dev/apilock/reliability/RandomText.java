package dev.apilock.reliability;

import java.util.List;
import java.util.Random;

/**
 * Random strings for fuzzing what the public API accepts: ASCII, SQL metacharacters and quotes,
 * ASCII and Unicode whitespace, control characters, letters from all over the BMP, emoji (pairs
 * of surrogates), lone and reversed surrogates and invisible format characters, at lengths
 * around every limit.
 */
final class RandomText {

    private static final String SQL = "'\\\";-/*%_?$:{}()[]=<>|&`#@!^~,.";
    private static final int[] SPACES = {' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x00A0, 0x1680, 0x2000, 0x2003, 0x2007,
        0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    private static final int[] FORMAT = {0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x202E, 0x2060, 0xFEFF};
    private static final List<Integer> LENGTHS = List.of(0, 1, 2, 3, 5, 8, 13, 40, 127, 128, 129, 254, 255, 256, 300);

    private final Random random;

    RandomText(long seed) {
        this.random = new Random(seed);
    }

    /** A user or reference id candidate. */
    String text() {
        int length = random.nextInt(4) == 0 ? LENGTHS.get(random.nextInt(LENGTHS.size())) : random.nextInt(20);
        // Half the strings avoid control characters and lone surrogates, so that plenty are valid; and
        // each string leans one way, so that the rarer kinds are not always mixed away.
        int[] kinds = random.nextBoolean() ? new int[] {0, 1, 2, 3, 4, 5, 6, 7} : new int[] {0, 1, 2, 4, 5, 7};
        int flavour = kinds[random.nextInt(kinds.length)];
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            int kind = random.nextInt(3) == 0 ? kinds[random.nextInt(kinds.length)] : flavour;
            switch (kind) {
                case 0 -> out.append((char) (0x21 + random.nextInt(0x5E)));
                case 1 -> out.append(SQL.charAt(random.nextInt(SQL.length())));
                case 2 -> out.appendCodePoint(SPACES[random.nextInt(SPACES.length)]);
                case 3 -> out.append((char) (random.nextInt(10) == 0 ? 0x7F + random.nextInt(0x21) : random.nextInt(0x20)));
                case 4 -> out.append((char) (0x00C0 + random.nextInt(0xD7FF - 0x00C0)));
                case 5 -> out.appendCodePoint(0x1F300 + random.nextInt(0x300));
                case 6 -> out.append(loneSurrogate());
                default -> out.appendCodePoint(FORMAT[random.nextInt(FORMAT.length)]);
            }
        }
        return random.nextInt(3) == 0 && out.length() > 0 ? out.substring(0, random.nextInt(out.length() + 1))
                : out.toString();
    }

    private String loneSurrogate() {
        return switch (random.nextInt(3)) {
            case 0 -> String.valueOf((char) (0xD800 + random.nextInt(0x400)));
            case 1 -> String.valueOf((char) (0xDC00 + random.nextInt(0x400)));
            default -> new String(new char[] {(char) (0xDC00 + random.nextInt(0x400)), (char) (0xD800 + random.nextInt(0x400))});
        };
    }

    /** A lock type name candidate: mostly the allowed alphabet, sometimes not, around the 128 limit. */
    String typeName() {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/-";
        int length = random.nextInt(5) == 0 ? List.of(0, 1, 127, 128, 129, 200).get(random.nextInt(6))
                : 1 + random.nextInt(30);
        StringBuilder out = new StringBuilder();
        boolean clean = random.nextBoolean();
        while (out.length() < length) {
            if (clean || random.nextInt(6) != 0) {
                out.append(allowed.charAt(random.nextInt(allowed.length())));
            } else {
                String other = text();
                out.append(other.isEmpty() ? " " : other.substring(0, 1));
            }
        }
        return out.substring(0, length);
    }
}
