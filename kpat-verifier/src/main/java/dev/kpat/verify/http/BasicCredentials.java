package dev.kpat.verify.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic client credentials (RFC 7617). OAuth clients form-encode the id and secret before Base64 (RFC 6749
 * §2.3.1), many others do not, so both readings are offered.
 */
record BasicCredentials(String id, String secret) {
    /** The credentials in an Authorization header, or null when it is not a well-formed Basic header. */
    static BasicCredentials parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** The form-decoded reading, or null when it is the same or not valid form encoding. */
    BasicCredentials formDecoded() {
        try {
            BasicCredentials d = new BasicCredentials(URLDecoder.decode(id, StandardCharsets.UTF_8),
                    URLDecoder.decode(secret, StandardCharsets.UTF_8));
            return d.equals(this) ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "BasicCredentials[id=" + id + "]";
    }
}
