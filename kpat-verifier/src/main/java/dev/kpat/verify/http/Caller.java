package dev.kpat.verify.http;

/**
 * Who sent a request: its address (for usage and audit lines) and the key its failures are limited by; a null key
 * marks a trusted caller that relays other people's tokens and is limited per token value only. An open caller's
 * key is derived from its address when a failure needs it: a valid token, the common case, never does.
 */
final class Caller {
    static final String CONTEXT_KEY = "kpat.caller";

    private final String address;
    private final String key;
    private final boolean open;

    private Caller(String address, String key, boolean open) {
        this.address = address;
        this.key = key;
        this.open = open;
    }

    static Caller open(String address) {
        return new Caller(address, null, true);
    }

    static Caller trusted(String address) {
        return new Caller(address, null, false);
    }

    static Caller client(String address, String clientId) {
        return new Caller(address, "client:" + clientId, false);
    }

    String address() {
        return address;
    }

    String limitKey() {
        return open ? FailureLimits.addressKey(address) : key;
    }
}
