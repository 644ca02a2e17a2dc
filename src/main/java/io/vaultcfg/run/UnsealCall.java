package io.vaultcfg.run;

import static io.vaultcfg.shell.ShellQuote.quote;

import io.vaultcfg.json.PlainJson;
import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.secret.UnsealKeys;
import io.vaultcfg.ssh.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unseal keys sent to one node through its own API ({@code sys/unseal}), each in an SSH command of its own run
 * as the login user, never through sudo (which may log its input): curl reads the request body, key included, from
 * its standard input, so the key is on no command line and in no file on either side. The answers carry no key; an
 * error is shown only as the node's own error list, redacted.
 */
final class UnsealCall {
    private static final int CURL_SECONDS = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(CURL_SECONDS + 20);
    private static final Pattern HTTP = Pattern.compile("\n@@vc-unseal-http (\\d{3})\\s*$");

    private final HostExecution execution;
    private final HostWork node;
    private final NodeRoleFact api;
    private final UnsealKeys keys;

    UnsealCall(HostExecution execution, HostWork node, NodeRoleFact api, UnsealKeys keys) {
        this.execution = execution;
        this.node = node;
        this.api = api;
        this.keys = keys;
    }

    String command() {
        String url = api.address().replaceAll("/+$", "") + "/v1/sys/unseal";
        return "curl -sS --noproxy '*' --max-time " + CURL_SECONDS + api.caCert().map(ca -> " --cacert " + quote(ca)).orElse("")
                + " -X POST -H 'Content-Type: application/json' --data-binary @- -w '\\n@@vc-unseal-http %{http_code}\\n' "
                + quote(url);
    }

    /** Empty once the node answered unsealed; else why not (the progress is reset, so a later run starts afresh). */
    Optional<String> send(boolean migrate) {
        try {
            post("{\"reset\":true}");
            Map<String, Object> answer = Map.of();
            for (String key : keys.keys()) {
                answer = post("{\"key\":\"" + key + "\"" + (migrate ? ",\"migrate\":true" : "") + "}");
                if (Boolean.FALSE.equals(answer.get("sealed"))) {
                    return Optional.empty();
                }
            }
            post("{\"reset\":true}");
            return Optional.of("still sealed after the " + keys.count() + " unseal keys given (the node needs "
                    + answer.getOrDefault("t", "?") + "); its unseal progress was reset. Give the threshold of keys of this "
                    + "cluster and run again");
        } catch (IOException e) {
            return Optional.of("unsealing through its API failed: " + e.getMessage());
        }
    }

    private Map<String, Object> post(String body) throws IOException {
        ExecResult result = execution.runAsLoginUser(node, command(), body.getBytes(StandardCharsets.UTF_8), DEADLINE);
        Matcher http = HTTP.matcher(result.stdout());
        if (!http.find()) {
            throw new IOException("curl gave no answer (exit code " + result.exitCode() + ")" + lastLine(result.stderr()));
        }
        String json = result.stdout().substring(0, http.start());
        Map<String, Object> answer = PlainJson.parse(json).map(PlainJson::object).orElse(Map.of());
        if (!http.group(1).equals("200")) {
            Object errors = answer.get("errors");
            throw new IOException("the node answered HTTP " + http.group(1)
                    + (errors instanceof List<?> list && !list.isEmpty() ? ": " + list : ""));
        }
        return answer;
    }

    private static String lastLine(String stderr) {
        return stderr.isBlank() ? "" : ": " + stderr.strip().lines().reduce((a, b) -> b).orElse("");
    }
}
