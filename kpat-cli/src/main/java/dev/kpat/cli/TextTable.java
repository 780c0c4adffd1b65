package dev.kpat.cli;

import java.util.List;

/** Left-aligned columns three spaces apart, as kubectl prints tables; the last column is not padded. */
final class TextTable {
    private TextTable() {
    }

    static String render(List<String[]> rows, String indent) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append(indent);
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
