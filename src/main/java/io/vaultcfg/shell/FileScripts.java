package io.vaultcfg.shell;

import static io.vaultcfg.shell.ShellQuote.quote;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Shell that changes files on a host run as root, safe against the less-privileged users who may own
 * the directory (the Vault service user owns its config directory on many installs).
 *
 * <p>Root never resolves a path inside a directory that someone else can write: every ancestor of a
 * target must be a real directory owned by root (or by the user running the script) and writable by
 * nobody else, a sticky directory such as {@code /tmp} excepted. The new file is written, given its owner
 * and mode inside a fresh 0700 staging directory that only root can enter, on the same filesystem, and
 * the only operation in the target's directory is the final {@code rename(2)} ({@code mv -T}), which
 * replaces a planted link instead of following it. A failed write (disk full) leaves the target as it
 * was; the staging directory is removed on failure, and one left by a killed run is removed by the next.
 */
public final class FileScripts {
    private static final String STAGE_PREFIX = ".vaultcfg-stage.";

    /**
     * The functions every generated script defines before using them (POSIX sh: dash and bash). A script
     * that runs several steps may define them once, ahead of all of them ({@link #sharedLibrary}).
     */
    static final String LIBRARY = """
            vc_fail() { printf 'vaultcfg: %s\\n' "$*" >&2; exit 1; }
            vc_me=$(id -u) || vc_fail "cannot tell which user runs this script"
            vc_trusted() {
              vc_bad=$(LC_ALL=C stat -c '%u %f %n' -- "$@" 2>/dev/null | while read -r vc_uid vc_raw vc_d; do
                if [ $((0x$vc_raw & 0xF000)) -ne $((0x4000)) ]; then echo "$vc_d is not a directory (a link?)"; break; fi
                if [ "$vc_uid" != 0 ] && [ "$vc_uid" != "$vc_me" ]; then echo "$vc_d belongs to uid $vc_uid, not root"; break; fi
                if [ $((0x$vc_raw & 0x12)) -ne 0 ] && [ $((0x$vc_raw & 0x200)) -eq 0 ]; then echo "$vc_d is writable by group or others"; break; fi
              done)
              [ -z "$vc_bad" ] || vc_fail "refused: $vc_bad; another user could redirect what root writes there"
            }
            vc_stage_dir() {
              vc_st=$(LC_ALL=C stat -c '%u %f %d %U' -- "$1") || vc_fail "cannot inspect $1"
              set -- "$1" $vc_st "$2"
              [ $((0x$3 & 0xF000)) -eq $((0x4000)) ] || vc_fail "refused: $1 is not a directory"
              if { [ "$2" = 0 ] || [ "$2" = "$vc_me" ]; } && [ $((0x$3 & 0x12)) -eq 0 ]; then vc_stage_in=$1; return; fi
              if [ "$2" != 0 ] && [ "$2" != "$vc_me" ] && [ "$5" != "$6" ] && [ "$2" != "$6" ]; then
                vc_fail "refused: $1 belongs to $5, neither root nor the file's owner"
              fi
              vc_stage_in=${1%/*}; [ -n "$vc_stage_in" ] || vc_stage_in=/
              [ "$(stat -c %d -- "$vc_stage_in")" = "$4" ] || vc_fail "refused: $1 is writable by $5 and is not on the same filesystem as $vc_stage_in, where vaultcfg would prepare the file"
            }
            vc_stage() {
              for vc_old in "$vc_stage_in"/.vaultcfg-stage.*; do
                if [ -d "$vc_old" ] && [ ! -L "$vc_old" ]; then find "$vc_old" -maxdepth 0 -mmin +30 -exec rm -rf -- {} + 2>/dev/null || :; fi
              done
              vc_tmp=$(umask 077 && mktemp -d "$vc_stage_in/.vaultcfg-stage.XXXXXXXX") || vc_fail "cannot create a staging directory in $vc_stage_in"
            }
            vc_write() {
              vc_dest=$1; vc_size=$3; vc_own=$4; vc_mode=$5
              vc_stage_dir "$2" "${vc_own%%:*}"
              vc_stage
              if ! base64 -d > "$vc_tmp/new" || [ "$(stat -c %s -- "$vc_tmp/new")" != "$vc_size" ]; then
                rm -rf -- "$vc_tmp"; vc_fail "could not write the new $vc_dest (disk full?); it is unchanged"
              fi
              if [ -z "$vc_own" ] || [ -z "$vc_mode" ]; then
                if vc_cur=$(LC_ALL=C stat -c '%u:%g %a %f' -- "$vc_dest" 2>/dev/null); then
                  set -- $vc_cur
                  [ $((0x$3 & 0xF000)) -eq $((0x8000)) ] || { rm -rf -- "$vc_tmp"; vc_fail "refused: $vc_dest changed since it was read (no longer a regular file)"; }
                  [ -n "$vc_own" ] || vc_own=$1
                  [ -n "$vc_mode" ] || vc_mode=$2
                fi
                [ -n "$vc_mode" ] || vc_mode=644
              fi
              if ! { { [ -z "$vc_own" ] || chown -- "$vc_own" "$vc_tmp/new"; } && chmod -- "$vc_mode" "$vc_tmp/new" && mv -f -T -- "$vc_tmp/new" "$vc_dest"; }; then
                rm -rf -- "$vc_tmp"; vc_fail "could not replace $vc_dest; it is unchanged"
              fi
              rmdir -- "$vc_tmp" 2>/dev/null || rm -rf -- "$vc_tmp"
            }
            vc_backup() {
              vc_cur=$(LC_ALL=C stat -c '%u:%g %a %f' -- "$1" 2>/dev/null) || return 0
              set -- "$1" "$2" "$3" $vc_cur
              [ $((0x$6 & 0xF000)) -eq $((0x8000)) ] || return 0
              vc_stage_dir "$2" "${4%%:*}"
              # root reads the file it copies: only where no one else can swap it between the stat and the read
              [ "$vc_stage_in" = "$2" ] || vc_fail "refused: a backup in $2, which another user can write; remove 'backup'"
              vc_stage
              if ! { dd if="$1" of="$vc_tmp/copy" iflag=nofollow,nonblock 2>/dev/null && chown -- "$4" "$vc_tmp/copy" \\
                  && chmod -- "$5" "$vc_tmp/copy" && mv -f -T -- "$vc_tmp/copy" "$3"; }; then
                rm -rf -- "$vc_tmp"; vc_fail "could not back up $1 to $3; nothing was changed"
              fi
              rmdir -- "$vc_tmp" 2>/dev/null || rm -rf -- "$vc_tmp"
            }
            vc_directory() {
              vc_dir=$1; vc_own=$2; vc_mode=$3
              [ -e "$vc_dir" ] || [ -L "$vc_dir" ] || mkdir -p -- "$vc_dir"
              vc_st=$(LC_ALL=C stat -c '%f' -- "$vc_dir") || vc_fail "cannot inspect $vc_dir"
              [ $((0x$vc_st & 0xF000)) -eq $((0x4000)) ] || vc_fail "refused: $vc_dir is not a directory"
              if [ -n "$vc_own" ]; then chown -h -- "$vc_own" "$vc_dir"; fi
              if [ -n "$vc_mode" ]; then chmod -- "$vc_mode" "$vc_dir"; fi
            }
            """;

    private FileScripts() {
    }

    /** Step shells that define the library, rewritten to rely on one definition placed ahead of them. */
    public static Optional<String> sharedLibrary(List<String> shells) {
        return shells.stream().anyMatch(shell -> shell.startsWith(LIBRARY)) ? Optional.of(LIBRARY) : Optional.empty();
    }

    /** {@code shell} without its own copy of the library, for a script that defined it already. */
    public static String withoutLibrary(String shell) {
        return shell.startsWith(LIBRARY) ? shell.substring(LIBRARY.length()) : shell;
    }

    /**
     * Replaces {@code dest} with the content read, base64-encoded, on standard input ({@code size}
     * bytes once decoded), owned and moded as given; without owner/group/mode the existing file's are
     * kept (a new file: the script user's, 0644).
     */
    public static String writeFile(String dest, int size, Optional<String> owner, Optional<String> group,
                                   Optional<String> mode) {
        requireAbsolute(dest);
        String dir = parent(dest);
        return LIBRARY + "vc_trusted" + quotedAll(ancestors(dir)) + "\n"
                + "vc_write " + quote(dest) + ' ' + quote(dir) + ' ' + size + ' ' + quote(ownerSpec(owner, group)) + ' '
                + quote(mode.orElse("")) + "\n";
    }

    /**
     * Copies {@code dest} as it is now to {@code copy}, owner and mode kept: read without following a
     * link or blocking on a FIFO, written through a staging directory like any write. Nothing when
     * {@code dest} is not a regular file; refused in a directory another user can write (root reads the
     * original, which could be swapped for a hard link to another file between its stat and the read).
     */
    public static String backup(String dest, String copy) {
        requireAbsolute(dest);
        requireAbsolute(copy);
        String dir = parent(dest);
        return LIBRARY + "vc_trusted" + quotedAll(ancestors(dir)) + "\n"
                + "vc_backup " + quote(dest) + ' ' + quote(dir) + ' ' + quote(copy) + "\n";
    }

    /** {@code bytes} as a quoted here-document for a command's standard input; base64 never holds its terminator. */
    public static String hereDocument(byte[] bytes) {
        return "<<'VAULTCFG_CONTENT'\n" + Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes)
                + "\nVAULTCFG_CONTENT\n";
    }

    /** Creates {@code path} (and missing parents) if needed and sets its owner, group and mode. */
    public static String directory(String path, Optional<String> owner, Optional<String> group, Optional<String> mode) {
        requireAbsolute(path);
        return LIBRARY + "vc_trusted" + quotedAll(ancestors(path)) + "\n"
                + "vc_directory " + quote(path) + ' ' + quote(ownerSpec(owner, group)) + ' ' + quote(mode.orElse("")) + '\n';
    }

    /** Every directory above {@code path}, from the root down, {@code path} itself excluded. */
    public static List<String> ancestors(String path) {
        List<String> ancestors = new ArrayList<>();
        ancestors.add("/");
        int slash = path.indexOf('/', 1);
        while (slash > 0) {
            ancestors.add(path.substring(0, slash));
            slash = path.indexOf('/', slash + 1);
        }
        if (path.equals("/")) {
            ancestors.clear();
        }
        return ancestors;
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String ownerSpec(Optional<String> owner, Optional<String> group) {
        if (owner.isEmpty() && group.isEmpty()) {
            return "";
        }
        return owner.orElse("") + group.map(g -> ":" + g).orElse("");
    }

    private static String quotedAll(List<String> paths) {
        StringBuilder words = new StringBuilder();
        paths.forEach(path -> words.append(' ').append(quote(path)));
        return words.toString();
    }

    private static void requireAbsolute(String path) {
        if (!path.startsWith("/") || path.indexOf('\n') >= 0 || path.indexOf('\0') >= 0 || path.endsWith("/") && path.length() > 1) {
            throw new IllegalArgumentException("not a plain absolute path: " + path);
        }
        if (path.contains("/./") || path.contains("/../") || path.endsWith("/..") || path.endsWith("/.") || path.contains("//")) {
            throw new IllegalArgumentException("not a normalized path: " + path);
        }
    }

    /** The name prefix of staging directories, for tests that look for leftovers. */
    public static String stagePrefix() {
        return STAGE_PREFIX;
    }
}
