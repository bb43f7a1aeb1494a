package io.shardwork.cli.supervise;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** When the supervisor starts the worker again after it exited. */
public enum RestartMode {
    /** Never: the supervisor exits with the worker's exit code. */
    OFF("off"),
    /** After any exit, clean or not. */
    ALWAYS("always"),
    /** After an exit with a non-zero code or by a signal. */
    ON_FAILURE("on-failure");

    private final String label;

    RestartMode(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }

    /** Parses {@code off}, {@code always}, {@code on-failure} for picocli. */
    public static final class Converter implements ITypeConverter<RestartMode> {
        @Override
        public RestartMode convert(String value) {
            return Arrays.stream(values()).filter(mode -> mode.label.equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected one of "
                            + Arrays.stream(values()).map(RestartMode::toString).collect(Collectors.joining(", ")) + ", not '" + value + "'"));
        }
    }
}
