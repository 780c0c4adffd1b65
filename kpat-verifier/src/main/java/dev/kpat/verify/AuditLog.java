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
 * client address, endpoint. Never the token, never its hash. Lines are formatted on the request thread with a
 * reused Jackson generator and written by {@link AuditSink} in batches, so auditing every request costs about as
 * much as answering it without audit.
 */
public final class AuditLog implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** A generator per thread, writing into a buffer that is emptied after each line. */
    private static final class LineWriter {
        final StringWriter buffer = new StringWriter(320);
        final JsonGenerator generator;

        LineWriter() {
            try {
                generator = JSON.createGenerator(buffer);
                generator.setRootValueSeparator(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ThreadLocal<LineWriter> WRITERS = ThreadLocal.withInitial(LineWriter::new);

    /** The last formatted instant: at thousands of lines a second most lines share it. */
    private record FormattedTime(Instant instant, String text) {
    }

    /** This log's own: audit logs in one JVM (tests, several verifiers) do not share it. */
    private volatile FormattedTime lastTime = new FormattedTime(Instant.EPOCH, Instant.EPOCH.toString());

    private final AuditSink sink;

    public AuditLog(AuditSink sink) {
        this.sink = sink;
    }

    /** Audit lines to standard output, the Kubernetes way: the node's log collector takes them from there. */
    public static AuditLog toStdout() {
        return new AuditLog(new AuditSink(System.out));
    }

    public static AuditLog to(OutputStream out) {
        return new AuditLog(new AuditSink(out));
    }

    public void record(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        sink.write(line(format(time), v, required, client, endpoint));
    }

    static String line(Instant time, Verification v, List<Scope> required, String client, String endpoint) {
        return line(time.toString(), v, required, client, endpoint);
    }

    private static String line(String time, Verification v, List<Scope> required, String client, String endpoint) {
        LineWriter w = WRITERS.get();
        try {
            JsonGenerator g = w.generator;
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
            for (Scope s : required) {
                g.writeString(s.toString());
            }
            g.writeEndArray();
            g.writeStringField("client", client);
            g.writeStringField("endpoint", endpoint);
            if (v.revokedTokenUsed()) {
                // a value killed on purpose, presented again: the line alerting and forensics look for
                g.writeStringField("signal", RevokedTokenUse.SIGNAL);
                g.writeStringField("revocationReason", t.revocationReason());
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuffer chars = w.buffer.getBuffer();
        String line = chars.toString();
        chars.setLength(0);
        return line;
    }

    private String format(Instant time) {
        FormattedTime last = lastTime;
        if (last.instant().equals(time)) {
            return last.text();
        }
        FormattedTime now = new FormattedTime(time, time.toString());
        lastTime = now;
        return now.text();
    }

    @Override
    public void close() {
        sink.close();
    }
}
