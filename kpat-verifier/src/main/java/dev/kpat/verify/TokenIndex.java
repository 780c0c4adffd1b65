package dev.kpat.verify;

import dev.kpat.api.TokenRecord;
import dev.kpat.api.TokenRecordSpec;
import dev.kpat.token.ScopeSet;
import dev.kpat.token.TokenHash;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * The in-memory index the verifier answers from: TokenRecords keyed by the first 8 bytes of their SHA-256 digest
 * (a primitive map, no boxing), the full digest compared in constant time. Readers on the request path take an
 * optimistic read and fall back to a read lock only while the informer thread is writing.
 */
public final class TokenIndex {
    /** Fuller tables than the default 0.75: open addressing on well-mixed digest bits probes little even so. */
    private static final float LOAD_FACTOR = 0.9f;
    private final StampedLock lock = new StampedLock();
    /** Digest prefix to entries; a prefix collision (about 2^-64 per pair) is kept as a small array. */
    private final Long2ObjectOpenHashMap<Object> byDigest = new Long2ObjectOpenHashMap<>(16, LOAD_FACTOR);
    /** Record name to its entry, to find the entry again on update and delete. */
    private final Object2ObjectOpenHashMap<String, IndexedToken> byName = new Object2ObjectOpenHashMap<>(16, LOAD_FACTOR);
    /** Owners, namespaces and scope lists repeat across tokens: one shared instance each. */
    private final Object2ObjectOpenHashMap<String, String> strings = new Object2ObjectOpenHashMap<>();
    private final Object2ObjectOpenHashMap<List<String>, ScopeSet> scopeSets = new Object2ObjectOpenHashMap<>();

    /**
     * Adds or replaces the entry of a record; a record without a usable hash is removed instead.
     *
     * @return the entry it replaced, or null
     */
    public IndexedToken upsert(TokenRecord record) {
        IndexedToken entry = toEntry(record);
        long stamp = lock.writeLock();
        try {
            IndexedToken old = removeLocked(record.getMetadata().getName());
            if (entry != null) {
                add(entry);
            }
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** @return the removed entry, or null */
    public IndexedToken remove(String recordName) {
        long stamp = lock.writeLock();
        try {
            return removeLocked(recordName);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The entry of the record with that name, or null. */
    public IndexedToken get(String recordName) {
        long stamp = lock.readLock();
        try {
            return byName.get(recordName);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** A snapshot of the indexed record names. */
    public List<String> names() {
        long stamp = lock.readLock();
        try {
            return List.copyOf(byName.keySet());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The entry whose digest equals {@code digest} (four longs), or null. */
    public IndexedToken find(long[] digest) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                IndexedToken found = findUnlocked(digest);
                if (lock.validate(stamp)) {
                    return found;
                }
            } catch (RuntimeException concurrentResize) {
                // a writer changed the tables under us; retry under the read lock
            }
        }
        stamp = lock.readLock();
        try {
            return findUnlocked(digest);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public int size() {
        long stamp = lock.readLock();
        try {
            return byName.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private IndexedToken findUnlocked(long[] digest) {
        Object slot = byDigest.get(digest[0]);
        if (slot instanceof IndexedToken t) {
            return t.digestEquals(digest) ? t : null;
        }
        if (slot instanceof IndexedToken[] many) {
            for (IndexedToken t : many) {
                if (t.digestEquals(digest)) {
                    return t;
                }
            }
        }
        return null;
    }

    private void add(IndexedToken entry) {
        byName.put(entry.tokenId, entry);
        Object slot = byDigest.get(entry.d0);
        if (slot == null) {
            byDigest.put(entry.d0, entry);
        } else if (slot instanceof IndexedToken one) {
            byDigest.put(entry.d0, new IndexedToken[] {one, entry});
        } else {
            IndexedToken[] many = (IndexedToken[]) slot;
            IndexedToken[] more = java.util.Arrays.copyOf(many, many.length + 1);
            more[many.length] = entry;
            byDigest.put(entry.d0, more);
        }
    }

    private IndexedToken removeLocked(String name) {
        IndexedToken old = byName.remove(name);
        if (old == null) {
            return null;
        }
        Object slot = byDigest.get(old.d0);
        if (slot == old) {
            byDigest.remove(old.d0);
        } else if (slot instanceof IndexedToken[] many) {
            IndexedToken[] rest = java.util.Arrays.stream(many).filter(t -> t != old).toArray(IndexedToken[]::new);
            byDigest.put(old.d0, rest.length == 1 ? rest[0] : rest);
        }
        return old;
    }

    private IndexedToken toEntry(TokenRecord record) {
        TokenRecordSpec spec = record.getSpec();
        byte[] digest = spec == null ? null : TokenHash.parse(spec.getHash());
        if (digest == null || spec.getTokenRef() == null) {
            return null;
        }
        long stamp = lock.writeLock();
        try {
            return new IndexedToken(digestLongs(digest), record.getMetadata().getName(), shared(spec.getOwner()),
                    shared(spec.getTokenRef().getNamespace()), spec.getTokenRef().getName(),
                    scopeSets.computeIfAbsent(spec.getScopes() == null ? List.of() : List.copyOf(spec.getScopes()),
                            k -> ScopeSet.of(spec.getScopes())),
                    millis(spec.getIssuedAt(), 0), millis(spec.getExpiresAt(), IndexedToken.NEVER),
                    millis(spec.getValidUntil(), IndexedToken.NEVER), spec.getRevokedAt() != null, spec.pending(),
                    spec.getBlockedBy() != null, shared(spec.getRevocationReason()),
                    record.getMetadata().getResourceVersion());
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private String shared(String s) {
        if (s == null) {
            return null;
        }
        String existing = strings.putIfAbsent(s, s);
        return existing == null ? s : existing;
    }

    /** The 32-byte digest as four big-endian longs. */
    public static long[] digestLongs(byte[] digest) {
        ByteBuffer b = ByteBuffer.wrap(digest);
        return new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()};
    }

    private static long millis(String time, long absent) {
        if (time == null) {
            return absent;
        }
        try {
            return Instant.parse(time).toEpochMilli();
        } catch (RuntimeException e) {
            return 0; // an unreadable time is treated as already passed: fail closed
        }
    }
}
