package dev.kpat.faults;

/** What the fault proxy does with one request instead of passing it on as it came. */
enum Fault {
    /** Passed on. */
    NONE,
    /** Answered 500 Internal Server Error without passing it on. */
    ERROR_500,
    /** Answered 503 Service Unavailable without passing it on. */
    UNAVAILABLE_503,
    /** Answered 429 Too Many Requests with {@code Retry-After: 1} without passing it on. */
    THROTTLED_429,
    /** Answered 409 Conflict without passing it on (writes only). */
    CONFLICT_409,
    /**
     * Held past the client's request timeout, then passed on: like a slow API server, the request may take effect
     * after the client gave up on it.
     */
    DELAYED,
    /** A watch passed on, its connection cut a moment later (watches only). */
    WATCH_CUT
}
