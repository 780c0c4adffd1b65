package dev.kpat.api;

import java.util.List;

/**
 * The {@code user.extra} keys of the verifier's TokenReview answer. The API server hands them on to authorizers and
 * admission ({@code request.userInfo.extra}), which is how crds/admission-policy.yaml tells a request made with a
 * kpat token from any other login, and what it may do.
 */
public final class UserExtra {
    /** The TokenRecord name (token id) of the presented value; present exactly for kpat tokens. */
    public static final String TOKEN_ID = "kpat.dev/token-id";
    /** The token's scopes, one value each. */
    public static final String SCOPES = "kpat.dev/scopes";
    /** RFC 3339 (whole seconds, UTC): when the presented value stops authenticating; absent when never. */
    public static final String EXPIRES_AT = "kpat.dev/expires-at";
    public static final List<String> ALL = List.of(TOKEN_ID, SCOPES, EXPIRES_AT);

    private UserExtra() {
    }
}
