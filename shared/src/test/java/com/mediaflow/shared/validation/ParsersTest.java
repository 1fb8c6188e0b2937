package com.mediaflow.shared.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.mediaflow.shared.format.MediaFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParsersTest {
    @ParameterizedTest
    @EnumSource(MediaFormat.class)
    void everyAcceptedFormat_hasAStructuralParser_andNoOtherDoes(MediaFormat format) {
        assertThat(Parsers.forFormat(format).isPresent()).as(format.name()).isEqualTo(format.accepted());
    }
}
