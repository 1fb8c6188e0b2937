package com.mediaflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteLruTest {
    private static ByteLru<String, byte[]> lru(long max) {
        return new ByteLru<>(max, v -> v.length);
    }

    @Test
    void evictsTheLeastRecentlyUsed_untilTheNewEntryFits() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[40]);
        c.put("b", new byte[40]);
        assertThat(c.bytes()).isEqualTo(80);
        c.put("c", new byte[40]); // 120 > 100: a, the eldest, goes

        assertThat(c.contains("a")).isFalse();
        assertThat(c.contains("b")).isTrue();
        assertThat(c.contains("c")).isTrue();
        assertThat(c.bytes()).isEqualTo(80);
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void aGet_refreshesRecency() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[40]);
        c.put("b", new byte[40]);
        assertThat(c.get("a")).isPresent(); // now b is the eldest
        c.put("c", new byte[40]);

        assertThat(c.contains("a")).isTrue();
        assertThat(c.contains("b")).isFalse();
    }

    @Test
    void severalEntriesGo_whenOneLargeArrives() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[30]);
        c.put("b", new byte[30]);
        c.put("c", new byte[30]);
        c.put("d", new byte[70]);

        assertThat(c.contains("a")).isFalse();
        assertThat(c.contains("b")).isFalse();
        assertThat(c.contains("c")).isTrue();
        assertThat(c.bytes()).isEqualTo(100);
    }

    @Test
    void anEntryLargerThanTheBound_isNotCached_andDropsTheKeysOlderValue() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[10]);
        c.put("big", new byte[20]);

        assertThat(c.put("big", new byte[101])).isFalse();
        assertThat(c.contains("big")).isFalse();
        assertThat(c.contains("a")).as("nothing evicted for a value that cannot fit").isTrue();
        assertThat(c.bytes()).isEqualTo(10);
    }

    @Test
    void anUpdate_reAccountsItsWeight() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[10]);
        c.put("b", new byte[50]);
        c.put("a", new byte[30]);
        assertThat(c.bytes()).isEqualTo(80);
        assertThat(c.get("a")).get().extracting(v -> v.length).isEqualTo(30);

        c.put("a", new byte[5]);
        assertThat(c.bytes()).isEqualTo(55);
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void aRemove_givesBackItsBytes_andAnUnknownKeyChangesNothing() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[10]);
        c.put("b", new byte[50]);
        c.remove("a");
        c.remove("nope");
        assertThat(c.bytes()).isEqualTo(50);
        assertThat(c.contains("a")).isFalse();
        assertThat(c.size()).isEqualTo(1);
    }

    @Test
    void countsHitsAndMisses_andABoundOfZeroCachesNothing() {
        ByteLru<String, byte[]> c = lru(100);
        c.put("a", new byte[1]);
        c.get("a");
        c.get("a");
        c.get("b");
        assertThat(c.hits()).isEqualTo(2);
        assertThat(c.misses()).isEqualTo(1);

        ByteLru<String, byte[]> none = lru(0);
        assertThat(none.put("a", new byte[1])).isFalse();
        assertThat(none.get("a")).isEmpty();
        assertThat(none.bytes()).isZero();
    }
}
