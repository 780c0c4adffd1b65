package dev.kpat.api;

/** Schema patterns shared by the CRD model; the operator checks the same grammars in {@code dev.kpat.token}. */
final class ApiPatterns {
    static final String RFC3339 =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
    static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h|d))+$";
    static final String TTL = "^(never|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h|d))+)$";
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** Scope grammar inside a CEL string literal (single-quoted, so backslashes are doubled). */
    static final String SCOPE_CEL = "^(\\\\*|[a-z0-9-]+(:[a-z0-9-]+(\\\\.[a-z0-9-]+)*(/[a-z0-9-]+)?)?)$";

    private ApiPatterns() {
    }
}
