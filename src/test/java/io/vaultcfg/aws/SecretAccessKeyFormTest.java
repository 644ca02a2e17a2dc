package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretAccessKeyFormTest {
    static final String KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void aWellFormedKeyIsItself() {
        assertThat(KEY).hasSize(40);
        assertThat(SecretAccessKeyForm.keysWithin(KEY)).containsExactly(KEY);
        assertThat(SecretAccessKeyForm.keysWithin("+/+/+/+/+/0123456789abcdefghijABCDEFGHIJ")).hasSize(1);
    }

    @Test
    void wordsAndValuesOfAnotherLengthOrAlphabetAreNoKeys() {
        assertThat(SecretAccessKeyForm.keysWithin("failed")).isEmpty();
        assertThat(SecretAccessKeyForm.keysWithin("CHANGED")).isEmpty();
        assertThat(SecretAccessKeyForm.keysWithin(KEY.substring(1))).as("39 characters").isEmpty();
        assertThat(SecretAccessKeyForm.keysWithin(KEY + "A")).as("41 characters").isEmpty();
        assertThat(SecretAccessKeyForm.keysWithin(KEY.replace('K', '-'))).as("outside the alphabet").isEmpty();
        assertThat(SecretAccessKeyForm.keysWithin(null)).isEmpty();
    }

    @Test
    void aKeyInsideAMalformedValueIsStillFound() {
        assertThat(SecretAccessKeyForm.keysWithin(" " + KEY)).containsExactly(KEY);
        assertThat(SecretAccessKeyForm.keysWithin("'" + KEY)).containsExactly(KEY);
        assertThat(SecretAccessKeyForm.keysWithin(KEY + " # rotated")).containsExactly(KEY);
    }
}
