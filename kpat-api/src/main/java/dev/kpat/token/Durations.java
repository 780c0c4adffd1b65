package dev.kpat.token;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's format ({@code 720h}, {@code 90m}, {@code 1h30m}, {@code 1.5h}) plus a {@code d} unit of
 * 24 hours ({@code 30d}), the notation Kubernetes users already write in manifests.
 */
public final class Durations {
    /** The same grammar as a regular expression, used in the CRD schema. */
    public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d))+$";
    private static final Pattern WHOLE = Pattern.compile(PATTERN);
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h|d)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
            "m", 60_000_000_000L, "h", 3_600_000_000_000L, "d", 86_400_000_000_000L);

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 30d, 720h, 90m or 1h30m)");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Formats in the largest units that divide the duration: {@code 90d}, {@code 36h}, {@code 1h30m}, {@code 10m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        Duration rest = d.minusDays(days);
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (rest.toHoursPart() > 0) {
            sb.append(rest.toHoursPart()).append('h');
        }
        if (rest.toMinutesPart() > 0) {
            sb.append(rest.toMinutesPart()).append('m');
        }
        if (rest.toSecondsPart() > 0) {
            sb.append(rest.toSecondsPart()).append('s');
        }
        if (rest.toMillisPart() > 0) {
            sb.append(rest.toMillisPart()).append("ms");
        }
        return sb.length() == 0 ? d.toNanos() + "ns" : sb.toString();
    }
}
