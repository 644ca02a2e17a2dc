package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.SystemdProperties;
import io.vaultcfg.shell.ShellQuote;
import java.time.Duration;
import java.util.List;

/**
 * What a systemd service loads, read in the facts round trip: its unit file and drop-ins (as {@code systemctl
 * show} names them, plus every {@code *.conf} of the unit's drop-in directories, whatever their names), then
 * every file its {@code ExecStart} gives with {@code -config} (a directory: its {@code *.hcl} and {@code *.json},
 * at most {@value #MAX_DIRECTORY_FILES}) and every {@code EnvironmentFile}. The host only finds the paths (it
 * over-reads: every ExecStart line of every file); {@link EffectiveServiceConfig} decides what applies.
 *
 * <p>Each file is read as the facts script reads managed files: stat'ed, read by {@code dd} without following
 * a link or blocking, at most 1 MiB + 1 byte, stat'ed again ({@link ServiceConfigRead} refuses a swap, a
 * hard-linked file and one too large). The output holds env files, so secrets: it is kept in memory only.
 *
 * <p>Every process on every host adds up on a fleet: each unit file is read once, into the shell variable the host
 * finds the ExecStart and EnvironmentFile lines in and that is also sent (each file followed by a line break; a NUL
 * byte, which a shell variable drops, leaves every unit refused), and one {@code stat} call is both the units' second
 * stat and the configs' first, the path {@code /} between them.
 *
 * @param unit    the unit name ({@code vault} or {@code vault.service})
 * @param unitDir where the playbook puts the unit's drop-ins (read too, in case systemd was not reloaded)
 */
record ServiceConfigFact(String unit, String unitDir) implements CommandFact<ServiceConfigRead>, SystemdProperties {
    static final int MAX_CONTENT = 1024 * 1024;
    static final int MAX_DIRECTORY_FILES = 64;

    @Override
    public List<String> systemdProperties() {
        return List.of("FragmentPath", "DropInPaths", "NeedDaemonReload");
    }

    /**
     * The positional parameters without repeats, first one kept: a drop-in is both in DropInPaths and in its
     * directory, and a file several units name is read (and held in the run's memory) once.
     */
    private static final String UNIQUE_ARGUMENTS = "vc_n=$#; vc_seen=''; for vc_f do case \"$vc_seen$vc_nl\" in "
            + "*\"$vc_nl$vc_f$vc_nl\"*) ;; *) vc_seen=\"$vc_seen$vc_nl$vc_f\"; set -- \"$@\" \"$vc_f\" ;; esac; done; shift \"$vc_n\"";

    @Override
    public Duration budget() {
        return Duration.ofSeconds(20);
    }

    @Override
    public String shell() {
        return "vc_unit=" + ShellQuote.quote(systemdUnit()) + "; vc_unit_dir=" + ShellQuote.quote(unitDir) + "\n"
                + "vc_max=" + (MAX_CONTENT + 1) + "\n"
                + """
                vc_nl='
                '
                vc_stat() {
                  LC_ALL=C stat -c 'S|%s|%f|%U|%G|%d:%i:%h:%Y|%n' -- "$@" 2>/dev/null
                }
                vc_configs() {
                  [ -n "$vc_units" ] || [ $# -gt 0 ] || return 0
                  vc_n=$#
                  set -f; IFS=$vc_nl
                  set -- $vc_units / "$@"
                  unset IFS; set +f
                  vc_stat "$@"
                  shift "$(($# - vc_n))"
                  [ $# -gt 0 ] || return 0
                  for vc_f do
                    if [ -f "$vc_f" ] && [ ! -L "$vc_f" ]; then set -- "$@" "$vc_f"; fi
                  done
                  shift "$vc_n"
                  printf 'B|'
                  for vc_f do dd if="$vc_f" iflag=nofollow,nonblock,fullblock bs="$vc_max" count=1 2>/dev/null; done | base64 -w0
                  echo
                  if [ $# -gt 0 ]; then LC_ALL=C stat -c 'A|%d:%i:%h:%Y|%s|%f|%n' -- "$@" 2>/dev/null; fi
                }
                @SHOW@
                vc_frag=''; vc_dropins=''
                while IFS= read -r vc_l; do
                  case $vc_l in
                    FragmentPath=*) vc_frag=${vc_l#FragmentPath=} ;;
                    DropInPaths=*) vc_dropins=${vc_l#DropInPaths=} ;;
                    NeedDaemonReload=*) ;;
                    *=*) continue ;;
                  esac
                  printf 'U|%s\\n' "$vc_l"
                done <<VC_SHOW
                $vc_show
                VC_SHOW
                set --
                [ -z "$vc_frag" ] || set -- "$vc_frag"
                set -f
                for vc_p in $vc_dropins; do set -- "$@" "$vc_p"; done
                set +f
                for vc_d in "$vc_unit_dir/$vc_unit.d" "${vc_frag%/*}/$vc_unit.d"; do
                  [ -n "$vc_frag" ] || [ "$vc_d" = "$vc_unit_dir/$vc_unit.d" ] || continue
                  if [ -d "$vc_d" ] && [ ! -L "$vc_d" ]; then
                    for vc_p in "$vc_d"/*.conf; do
                      case $vc_p in *"$vc_nl"*) echo "P|a drop-in name with a line break in $vc_d"; continue ;; esac
                      if [ -e "$vc_p" ] || [ -L "$vc_p" ]; then set -- "$@" "$vc_p"; fi
                    done
                  fi
                done
                @UNIQUE@
                echo '=units'
                [ $# -eq 0 ] || vc_stat "$@"
                vc_n=$#
                for vc_f do
                  if [ -f "$vc_f" ] && [ ! -L "$vc_f" ]; then set -- "$@" "$vc_f"; fi
                done
                shift "$vc_n"
                vc_units=''; vc_lines=''
                for vc_f do vc_units="$vc_units$vc_f$vc_nl"; done
                if [ $# -gt 0 ]; then
                  { vc_lines=$(for vc_f do dd if="$vc_f" iflag=nofollow,nonblock,fullblock bs="$vc_max" count=1 2>/dev/null; echo; done; printf x); } 2>/dev/null
                  vc_lines=${vc_lines%x}
                  printf 'B|'
                  base64 -w0 <<VC_UNITS
                $vc_lines
                VC_UNITS
                  echo
                fi
                set --
                while IFS= read -r vc_l; do
                  vc_l=${vc_l#"${vc_l%%[![:space:]]*}"}
                  case $vc_l in
                    ExecStart*) vc_k=X; vc_l=${vc_l#ExecStart} ;;
                    EnvironmentFile*) vc_k=E; vc_l=${vc_l#EnvironmentFile} ;;
                    *) continue ;;
                  esac
                  vc_l=${vc_l#"${vc_l%%[![:space:]]*}"}
                  case $vc_l in =*) vc_l=${vc_l#=} ;; *) continue ;; esac
                  vc_l="$vc_k ${vc_l#"${vc_l%%[![:space:]]*}"}"
                  case $vc_l in
                    "E "*) vc_p=${vc_l#E }; vc_p=${vc_p#-}; [ -z "$vc_p" ] || set -- "$@" "$vc_p" ;;
                    "X "*)
                      vc_next=""
                      set -f
                      for vc_w in ${vc_l#X }; do
                        vc_w=${vc_w#\\"}; vc_w=${vc_w%\\"}; vc_w=${vc_w#\\'}; vc_w=${vc_w%\\'}
                        if [ -n "$vc_next" ]; then
                          vc_next=""; vc_c=$vc_w
                        else
                          case $vc_w in
                            -config=*|--config=*) vc_c=${vc_w#*=} ;;
                            -config|--config) vc_next=1; continue ;;
                            *) continue ;;
                          esac
                        fi
                        [ -n "$vc_c" ] || continue
                        if [ -d "$vc_c" ] && [ ! -L "$vc_c" ]; then
                          set +f
                          vc_count=0
                          for vc_p in "$vc_c"/*.hcl "$vc_c"/*.json "$vc_c"/.*.hcl "$vc_c"/.*.json; do
                            if [ -e "$vc_p" ] || [ -L "$vc_p" ]; then
                              case $vc_p in *"$vc_nl"*) echo "P|a file name with a line break in $vc_c"; continue ;; esac
                              vc_count=$((vc_count + 1))
                              if [ "$vc_count" -le @MAX_FILES@ ]; then set -- "$@" "$vc_p"; fi
                            fi
                          done
                          set -f
                          echo "D|$vc_count|$vc_c"
                        else
                          set -- "$@" "$vc_c"
                        fi
                      done
                      set +f ;;
                  esac
                done <<VC_LINES
                $vc_lines
                VC_LINES
                @UNIQUE@
                echo '=configs'
                vc_configs "$@"
                """.replace("@SHOW@", SystemdShow.into("vc_show", this).strip())
                .replace("@MAX_FILES@", String.valueOf(MAX_DIRECTORY_FILES)).replace("@UNIQUE@", UNIQUE_ARGUMENTS);
    }

    @Override
    public ServiceConfigRead parse(CommandOutput output) {
        return ServiceConfigRead.parse(output.output(), MAX_CONTENT);
    }
}
