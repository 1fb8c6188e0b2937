package com.mediaflow.render;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded in bytes: each value weighs what {@code weigher} says, the
 * sum never exceeds {@code maxBytes}. A get refreshes an entry's recency; a put of an existing key
 * replaces it and re-accounts its weight; a value heavier than the bound is not cached (and drops
 * the key's older value). Counts hits and misses. Thread-safe (one lock: the function serves one
 * request at a time, the local delivery server a few).
 */
final class ByteLru<K, V> {
    private final long maxBytes;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    ByteLru(long maxBytes, ToLongFunction<V> weigher) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache bound is " + maxBytes + " bytes, expected 0 or more");
        }
        this.maxBytes = maxBytes;
        this.weigher = weigher;
    }

    synchronized Optional<V> get(K key) {
        V v = entries.get(key);
        if (v == null) {
            misses++;
            return Optional.empty();
        }
        hits++;
        return Optional.of(v);
    }

    /** Caches {@code value}, evicting the least recently used entries until it fits; false when it cannot fit at all. */
    synchronized boolean put(K key, V value) {
        long weight = weigher.applyAsLong(value);
        V old = entries.remove(key);
        if (old != null) {
            bytes -= weigher.applyAsLong(old);
        }
        if (weight > maxBytes) {
            return false;
        }
        Iterator<Map.Entry<K, V>> eldest = entries.entrySet().iterator();
        while (bytes + weight > maxBytes && eldest.hasNext()) {
            bytes -= weigher.applyAsLong(eldest.next().getValue());
            eldest.remove();
        }
        entries.put(key, value);
        bytes += weight;
        return true;
    }

    /** Drops {@code key}'s entry, if any, and its bytes. */
    synchronized void remove(K key) {
        V old = entries.remove(key);
        if (old != null) {
            bytes -= weigher.applyAsLong(old);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized boolean contains(K key) {
        return entries.containsKey(key);
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
