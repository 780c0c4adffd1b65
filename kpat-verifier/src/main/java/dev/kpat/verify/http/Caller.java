package dev.kpat.verify.http;

/**
 * Who sent a request: its address (for usage and audit lines) and the key its failures are limited by; a null key
 * marks a trusted caller that relays other people's tokens and is limited per token value only.
 */
record Caller(String address, String limitKey) {
    static final String CONTEXT_KEY = "kpat.caller";

    static Caller open(String address) {
        return new Caller(address, FailureLimits.addressKey(address));
    }

    static Caller trusted(String address) {
        return new Caller(address, null);
    }

    static Caller client(String address, String clientId) {
        return new Caller(address, "client:" + clientId);
    }
}
