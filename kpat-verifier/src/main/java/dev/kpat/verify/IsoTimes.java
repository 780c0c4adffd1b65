package dev.kpat.verify;

import java.time.Instant;

/**
 * {@link Instant#toString()} with the date and time of day formatted once a second: audit lines come by the
 * thousand each second. Not thread-safe (the audit writer's own).
 */
final class IsoTimes {
    private long second = Long.MIN_VALUE;
    /** The current second's text without the closing {@code Z}, e.g. {@code 2026-11-24T12:00:00}. */
    private String prefix;

    String format(Instant time) {
        if (time.getEpochSecond() != second || prefix == null) {
            String whole = Instant.ofEpochSecond(time.getEpochSecond()).toString();
            prefix = whole.substring(0, whole.length() - 1);
            second = time.getEpochSecond();
        }
        int nano = time.getNano();
        if (nano == 0) {
            return prefix + 'Z';
        }
        // as ISO_INSTANT: the fraction in groups of three digits, as many as it needs
        int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
        StringBuilder b = new StringBuilder(prefix.length() + 11).append(prefix).append('.');
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            b.append('0');
        }
        return b.append(text).append('Z').toString();
    }
}
