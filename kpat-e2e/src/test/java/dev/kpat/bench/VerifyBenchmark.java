package dev.kpat.bench;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.api.TokenRef;
import dev.kpat.token.Scope;
import dev.kpat.token.TokenFormat;
import dev.kpat.token.TokenHash;
import dev.kpat.verify.Outcome;
import dev.kpat.verify.TokenIndex;
import dev.kpat.verify.TokenVerifier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** In-process decisions on one thread, against an index of 100,000 records. */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class VerifyBenchmark {
    static final int RECORDS = 100_000;
    private TokenVerifier verifier;
    private String[] active;
    private String[] malformed;
    private final List<Scope> required = List.of(Scope.parse("write:tasks"));
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        TokenFormat format = new TokenFormat("kpat_");
        TokenIndex index = new TokenIndex();
        active = new String[1024];
        for (int n = 0; n < RECORDS; n++) {
            String value = format.generate().reveal();
            index.upsert(record(n, value));
            if (n < active.length) {
                active[n] = value;
            }
        }
        malformed = new String[active.length];
        for (int n = 0; n < active.length; n++) {
            malformed[n] = active[n].substring(0, active[n].length() - 1) + (active[n].endsWith("x") ? "y" : "x");
        }
        verifier = new TokenVerifier(index, Clock.systemUTC());
        if (verifier.verify(active[0], required).outcome() != Outcome.ACTIVE
                || verifier.verify(malformed[0], required).outcome() != Outcome.MALFORMED) {
            throw new IllegalStateException("benchmark fixture is wrong");
        }
    }

    static TokenRecord record(int n, String value) {
        TokenRecord r = new TokenRecord();
        r.setMetadata(new ObjectMetaBuilder().withName(String.format("tok-%020d", n)).build());
        TokenRecordSpec spec = new TokenRecordSpec();
        spec.setHash(TokenHash.of(value));
        spec.setTokenRef(new TokenRef("team-" + (n % 50), "token-" + n, "uid-" + n));
        spec.setOwner("user-" + (n % 5000));
        spec.setScopes(n % 2 == 0 ? List.of("read", "write:tasks") : List.of("write"));
        spec.setIssuedAt(Instant.now().toString());
        spec.setExpiresAt(Instant.now().plusSeconds(86_400).toString());
        r.setSpec(spec);
        return r;
    }

    @Benchmark
    public Outcome activeToken() {
        return verifier.verify(active[i++ & 1023], required).outcome();
    }

    @Benchmark
    public Outcome malformedToken() {
        return verifier.verify(malformed[i++ & 1023], required).outcome();
    }
}
