package dev.kpat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kpat.api.UserExtra;
import dev.kpat.localcluster.LocalControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests "made with a kpat token" without a verifier in the loop: a kubeconfig in which the administrator
 * impersonates the token's owner with the {@code extra} the verifier's TokenReview answer would set. Authorizers and
 * admission see {@code request.userInfo} exactly as for a webhook-authenticated user; RBAC is the owner's.
 */
public final class TokenUsers {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TokenUsers() {
    }

    /** A kubeconfig acting as {@code owner} holding token {@code tokenId}; {@code expiresAt} null: never expires. */
    public static Path kubeconfig(LocalControlPlane plane, String owner, String tokenId, List<String> scopes,
                                  Instant expiresAt) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put(UserExtra.TOKEN_ID, List.of(tokenId));
        extra.put(UserExtra.SCOPES, scopes);
        if (expiresAt != null) {
            extra.put(UserExtra.EXPIRES_AT, List.of(expiresAt.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(plane.adminKubeconfig().toFile());
            ObjectNode user = (ObjectNode) config.withArray("users").get(0).get("user");
            user.put("as", owner);
            user.set("as-user-extra", YAML.valueToTree(extra));
            Path file = plane.dataDir().resolve("users").resolve("token-" + tokenId + ".kubeconfig");
            Files.createDirectories(file.getParent());
            YAML.writeValue(file.toFile(), config);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
