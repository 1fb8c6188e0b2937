package com.mediaflow.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashingTest {
    private static final int HEAD = 64 * 1024;

    @Test
    void hash_multiMegabyteStream_matchesMessageDigest() throws IOException {
        // given 5 MiB + 7 bytes of seeded noise, delivered in awkward chunks
        byte[] data = new byte[5 * 1024 * 1024 + 7];
        new Random(7).nextBytes(data);

        // when
        Hashing.Pass pass = Hashing.hash(new Trickle(new ByteArrayInputStream(data), 100_003), HEAD);

        // then
        assertThat(pass.sha256()).isEqualTo(HexFormat.of().formatHex(Hashing.sha256().digest(data)));
        assertThat(pass.size()).isEqualTo(data.length);
        assertThat(pass.headLength()).isEqualTo(HEAD);
        assertThat(Arrays.copyOf(pass.head(), pass.headLength())).isEqualTo(Arrays.copyOf(data, HEAD));
    }

    @Test
    void hash_oneByteReads_keepHeadInOrder() throws IOException {
        byte[] data = new byte[3000];
        new Random(3).nextBytes(data);

        Hashing.Pass pass = Hashing.hash(new Trickle(new ByteArrayInputStream(data), 1), 1000);

        assertThat(pass.size()).isEqualTo(3000);
        assertThat(pass.head()).isEqualTo(Arrays.copyOf(data, 1000));
        assertThat(pass.sha256()).isEqualTo(HexFormat.of().formatHex(Hashing.sha256().digest(data)));
    }

    @Test
    void hash_streamShorterThanHead_holdsWholeStream() throws IOException {
        byte[] data = "tiny object".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        Hashing.Pass pass = Hashing.hash(new ByteArrayInputStream(data), HEAD);

        assertThat(pass.size()).isEqualTo(data.length);
        assertThat(pass.headLength()).isEqualTo(data.length);
        assertThat(Arrays.copyOf(pass.head(), pass.headLength())).isEqualTo(data);
    }

    @Test
    void hash_emptyStream_isKnownEmptyDigest() throws IOException {
        Hashing.Pass pass = Hashing.hash(InputStream.nullInputStream(), HEAD);

        assertThat(pass.size()).isZero();
        assertThat(pass.headLength()).isZero();
        assertThat(pass.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void hash_knownVector_isLowercaseHex() throws IOException {
        Hashing.Pass pass = Hashing.hash(new ByteArrayInputStream("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 2);

        assertThat(pass.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(pass.headLength()).isEqualTo(2);
        assertThat(pass.size()).isEqualTo(3);
    }

    @Test
    void hash_keepUpTo_keepsEveryByteOfAStreamAtTheLimit_andNoneOfOneByteOver() throws IOException {
        byte[] data = new byte[700_001];
        new Random(11).nextBytes(data);

        Hashing.Pass atLimit = Hashing.hash(new Trickle(new ByteArrayInputStream(data), 65_537), HEAD, data.length);
        Hashing.Pass over = Hashing.hash(new Trickle(new ByteArrayInputStream(data), 65_537), HEAD, data.length - 1);
        Hashing.Pass never = Hashing.hash(new ByteArrayInputStream(data), HEAD);

        assertThat(atLimit.whole()).isEqualTo(data);
        assertThat(over.whole()).isNull();
        assertThat(never.whole()).isNull();
        assertThat(over.sha256()).isEqualTo(atLimit.sha256()).isEqualTo(HexFormat.of().formatHex(Hashing.sha256().digest(data)));
        assertThat(over.size()).isEqualTo(data.length);
    }

    @Test
    void warm_isTheSha256OfThatManyZeros_aPartialLastBufferIncluded() throws IOException {
        int bytes = 3 * 256 * 1024 + 1234;
        Hashing.Pass reference = Hashing.hash(new ByteArrayInputStream(new byte[bytes]), 16);

        assertThat(HexFormat.of().formatHex(Hashing.warm(bytes))).isEqualTo(reference.sha256());
        assertThat(HexFormat.of().formatHex(Hashing.warm(0)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    /** Returns at most {@code chunk} bytes per read, as network streams do. */
    private static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
