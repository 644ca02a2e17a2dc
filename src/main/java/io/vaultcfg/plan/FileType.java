package io.vaultcfg.plan;

/** What is at a path, from the file-type bits of its mode ({@code S_IFMT}); {@link #NONE} when nothing is. */
public enum FileType {
    REGULAR("regular file"),
    DIRECTORY("directory"),
    SYMLINK("symbolic link"),
    FIFO("fifo"),
    SOCKET("socket"),
    CHARACTER_DEVICE("character special file"),
    BLOCK_DEVICE("block special file"),
    OTHER("file of an unknown type"),
    NONE("nothing");

    private final String description;

    FileType(String description) {
        this.description = description;
    }

    /** The type encoded in a raw {@code st_mode}, as {@code stat %f} prints it (hexadecimal). */
    public static FileType ofRawMode(int rawMode) {
        return switch (rawMode & 0170000) {
            case 0100000 -> REGULAR;
            case 0040000 -> DIRECTORY;
            case 0120000 -> SYMLINK;
            case 0010000 -> FIFO;
            case 0140000 -> SOCKET;
            case 0020000 -> CHARACTER_DEVICE;
            case 0060000 -> BLOCK_DEVICE;
            default -> OTHER;
        };
    }

    /** In words, for messages: "symbolic link". */
    public String description() {
        return description;
    }
}
