package dev.kpat.api;

/** Where a PersonalAccessToken is in its life. */
public enum Phase {
    Pending, Active, Expired, Revoked, Failed
}
