package dev.kpat.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kpat.token.Scope;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per decision on the {@code kpat.audit} logger: time, decision, reason, token id, owner, token
 * namespace and name, required scopes, client address, endpoint. Never the token, never its hash.
 */
public final class AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("kpat.audit");
    private static final JsonFactory JSON = new JsonFactory();

    public void record(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        AUDIT.info(line(time, v, required, client, endpoint));
    }

    static String line(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("decision", v.active() ? "allow" : "deny");
            g.writeStringField("reason", v.outcome().reason());
            IndexedToken t = v.token();
            g.writeStringField("tokenId", t == null ? null : t.tokenId());
            g.writeStringField("owner", t == null ? null : t.owner());
            g.writeStringField("namespace", t == null ? null : t.namespace());
            g.writeStringField("name", t == null ? null : t.name());
            g.writeArrayFieldStart("requiredScopes");
            for (Scope s : required) {
                g.writeString(s.toString());
            }
            g.writeEndArray();
            g.writeStringField("client", client);
            g.writeStringField("endpoint", endpoint);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
