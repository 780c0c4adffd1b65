package dev.kpat.cli;

/** {@code -o} of {@code list}, {@code status} and {@code audit}: as kubectl's, lower case on the command line. */
public enum OutputFormat {
    table, json, yaml, name
}
