package dev.kpat.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kpat.token.Scope;
import dev.kpat.verify.reuse.RevokedTokenUse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * One JSON line per decision: time, decision, reason, token id, owner, token namespace and name, required scopes,
 * client address, endpoint. Never the token, never its hash. The request thread only queues the decision (its parts
 * are immutable); {@link AuditSink} formats and writes the lines in batches on its own thread, so auditing every
 * request adds little to the event loops' work.
 */
public final class AuditLog implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** A decision to audit, as the request thread hands it over. */
    record Entry(Instant time, Verification verification, List<Scope> required, String client, String endpoint) {
    }

    private final AuditSink sink;

    public AuditLog(AuditSink sink) {
        this.sink = sink;
    }

    /** Audit lines to standard output, the Kubernetes way: the node's log collector takes them from there. */
    public static AuditLog toStdout() {
        return new AuditLog(AuditSink.toStdout());
    }

    public static AuditLog to(OutputStream out) {
        return new AuditLog(new AuditSink(out));
    }

    public void record(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        sink.write(new Entry(time, v, required, client, endpoint));
    }

    /** The line of one decision, without its newline (tests; the sink writes lines the same way). */
    static String line(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, time.toString(), new Entry(time, v, required, client, endpoint));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A generator for {@link #write}: lines separated by nothing (the sink adds the newline). */
    static JsonGenerator generator(OutputStream out) {
        try {
            JsonGenerator g = JSON.createGenerator(out);
            g.setRootValueSeparator(null);
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one decision as a JSON object; {@code time} is {@code e.time()} as ISO-8601 text. */
    static void write(JsonGenerator g, String time, Entry e) throws IOException {
        Verification v = e.verification();
        g.writeStartObject();
        g.writeStringField("time", time);
        g.writeStringField("decision", v.active() ? "allow" : "deny");
        g.writeStringField("reason", v.outcome().reason());
        IndexedToken t = v.token();
        g.writeStringField("tokenId", t == null ? null : t.tokenId());
        g.writeStringField("owner", t == null ? null : t.owner());
        g.writeStringField("namespace", t == null ? null : t.namespace());
        g.writeStringField("name", t == null ? null : t.name());
        g.writeArrayFieldStart("requiredScopes");
        for (Scope s : e.required()) {
            g.writeString(s.toString());
        }
        g.writeEndArray();
        g.writeStringField("client", e.client());
        g.writeStringField("endpoint", e.endpoint());
        if (v.revokedTokenUsed()) {
            // a value killed on purpose, presented again: the line alerting and forensics look for
            g.writeStringField("signal", RevokedTokenUse.SIGNAL);
            g.writeStringField("revocationReason", t.revocationReason());
        }
        g.writeEndObject();
    }

    /** Writes every line queued so far, then stops the sink (shutdown: no decision goes unaudited). */
    @Override
    public void close() {
        sink.close();
    }
}
