package io.vaultcfg.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters that refuse out-of-range values while parsing, so a bad value is a usage error
 * (exit 1, the option named by picocli) before anything starts. Messages never repeat a text value.
 */
final class CheckedValues {
    private CheckedValues() {
    }

    /** A count or a number of seconds: 1 or more ({@code -f 0} would run no host at all). */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int number = parseInt(value);
            if (number < 1) {
                throw new TypeConversionException("must be 1 or more, was " + number);
            }
            return number;
        }
    }

    /** A number of days that may be 0 (e.g. a grace period). */
    static final class NonNegativeDays implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int number = parseInt(value);
            if (number < 0) {
                throw new TypeConversionException("must be 0 or more, was " + number);
            }
            return number;
        }
    }

    /** A TCP port on 127.0.0.1; 0 picks a free one. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int number = parseInt(value);
            if (number < 0 || number > 65535) {
                throw new TypeConversionException("must be a port 0..65535, was " + number);
            }
            return number;
        }
    }

    static final class NonNegativeSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double number = parseDouble(value);
            if (!(number >= 0) || Double.isInfinite(number)) {
                throw new TypeConversionException("must be 0 or more seconds, was " + value.strip());
            }
            return number;
        }
    }

    /** A fraction 0..1 (NaN is refused: it would pass every comparison check later). */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double number = parseDouble(value);
            if (!(number >= 0 && number <= 1)) {
                throw new TypeConversionException("must be between 0 and 1, was " + value.strip());
            }
            return number;
        }
    }

    static final class AccountId implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("\\d{12}")) {
                throw new TypeConversionException("must be 12 digits");
            }
            return value;
        }
    }

    /** For credentials: the value is never part of the message. */
    static final class NotEmpty implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("must not be empty");
            }
            return value;
        }
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    private static double parseDouble(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }
}
