package dev.kpat.testing;

import dev.kpat.token.TokenHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Looks for token values, and anything derived from them, in captured text: the value itself, any 12 characters of
 * its random part (a truncated or mistyped value), any 16 hex digits of its SHA-256 or the first {@code hexPrefix}
 * of them, and the value in Base64 (as a Secret's data holds it). Findings name the source, the value's index and
 * the kind of match, never the text that matched.
 */
public final class LeakScanner {
    private static final int WINDOW = 12;
    private static final int HEX_WINDOW = 16;

    private record Needle(int value, String kind, String text, boolean hex) {
    }

    private final List<Needle> needles = new ArrayList<>();
    private int values;
    private long scannedChars;

    /** Registers a value to look for; returns its index (for findings). */
    public int add(String value) {
        int index = values++;
        int underscore = value.indexOf('_');
        String random = value.substring(underscore + 1, Math.min(value.length(), underscore + 33));
        needles.add(new Needle(index, "value", value, false));
        for (int i = 0; i + WINDOW <= random.length(); i++) {
            needles.add(new Needle(index, "12 characters of its random part", random.substring(i, i + WINDOW), false));
        }
        String hex = TokenHash.of(value).substring(TokenHash.ALGORITHM_PREFIX.length());
        for (int i = 0; i + HEX_WINDOW <= hex.length(); i++) {
            needles.add(new Needle(index, "16 hex digits of its sha256", hex.substring(i, i + HEX_WINDOW), true));
        }
        needles.add(new Needle(index, "sha256 prefix", hex.substring(0, 8), true));
        for (String pad : List.of("", "x", "xx")) {
            String b64 = Base64.getEncoder().encodeToString((pad + value).getBytes(StandardCharsets.UTF_8));
            // the characters that do not depend on what precedes or follows the value in a larger encoded text
            needles.add(new Needle(index, "Base64 of the value", b64.substring(pad.isEmpty() ? 0 : 4,
                    b64.length() - 4), false));
        }
        return index;
    }

    /**
     * What of the registered values appears in {@code text}.
     *
     * @param shortHexPrefix whether the 8-digit hash prefix counts: for kpat's own output; texts of megabytes of
     *                       others' hex (the API server's log) are scanned for 16 digits only
     */
    public List<String> scan(String source, String text, boolean shortHexPrefix) {
        scannedChars += text.length();
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> findings = new ArrayList<>();
        for (Needle n : needles) {
            if (n.kind().equals("sha256 prefix") && !shortHexPrefix) {
                continue;
            }
            if ((n.hex() ? lower : text).contains(n.text())) {
                findings.add(source + ": " + n.kind() + " of value #" + n.value());
            }
        }
        return findings.stream().distinct().toList();
    }

    public int values() {
        return values;
    }

    public long scannedChars() {
        return scannedChars;
    }
}
