package io.vaultcfg.plan;

/** The permission bits of a file (setuid, setgid and sticky included): 0 to 07777. Shown in octal, as chmod takes it. */
public record FileMode(int bits) {
    public FileMode {
        if (bits < 0 || bits > 07777) {
            throw new IllegalArgumentException("not a file mode: " + Integer.toOctalString(bits));
        }
    }

    /** {@code "600"}, {@code "0600"}, {@code "1777"}: octal digits. */
    public static FileMode parse(String octal) {
        if (!octal.matches("[0-7]{1,5}")) {
            throw new IllegalArgumentException("not an octal file mode: " + octal);
        }
        return new FileMode(Integer.parseInt(octal, 8));
    }

    /** The permission bits of a raw {@code st_mode}, as {@code stat %f} prints it. */
    public static FileMode ofRawMode(int rawMode) {
        return new FileMode(rawMode & 07777);
    }

    public boolean groupOrOthersMayWrite() {
        return (bits & 022) != 0;
    }

    public boolean sticky() {
        return (bits & 01000) != 0;
    }

    /** Octal without leading zeros, as {@code stat %a} prints it: "600", "1777". */
    @Override
    public String toString() {
        return Integer.toOctalString(bits);
    }
}
