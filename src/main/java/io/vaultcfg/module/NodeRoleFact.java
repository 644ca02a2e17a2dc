package io.vaultcfg.module;

import static io.vaultcfg.shell.ShellQuote.quote;

import io.vaultcfg.json.PlainJson;
import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.vault.NodeAnswer;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.UnreadableNodeStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's role, read on its host with curl from {@code sys/seal-status}, {@code sys/health} and {@code sys/leader}
 * (no token), in this order and close together, as {@link NodeRole#read} needs them.
 *
 * @param address the node's API address as the host reaches it
 */
public record NodeRoleFact(String address, Optional<String> caCert) implements CommandFact<NodeRoleFact.Reading> {
    static final int PROBE_SECONDS = 5;
    private static final List<String> ENDPOINTS = List.of("seal-status", "health", "leader");
    private static final String NO_CURL = "@@vc-role-no-curl";
    private static final Pattern SECTION = Pattern.compile(
            "@@vc-role-endpoint (seal-status|health|leader)\n(.*?)\n@@vc-role-http (\\d{3})(?=\n|$)", Pattern.DOTALL);

    /**
     * The role when the node answered; else why not ({@code down}: it did not answer at all).
     *
     * @param haEnabled  what {@code sys/leader} says, when the node answered it: false on a node without HA storage
     * @param sealStatus what {@code sys/seal-status} answered (status 0: curl's error as the body), when curl ran: the
     *                   seal status check reads it here instead of starting a curl of its own
     */
    public record Reading(Optional<NodeRole> role, Optional<Boolean> haEnabled, boolean down, String problem,
                          Optional<NodeAnswer> sealStatus) {
        public Reading(Optional<NodeRole> role, Optional<Boolean> haEnabled, boolean down, String problem) {
            this(role, haEnabled, down, problem, Optional.empty());
        }

        public String describe() {
            return role.map(NodeRole::describe).orElse(problem);
        }
    }

    /** Sets nothing and never exits: runs in the facts script's own shell. */
    @Override
    public boolean needsSubshell() {
        return false;
    }

    /**
     * One curl process for the three reads (on a fleet every process on every host adds up): a {@code --next} for each,
     * each transfer's {@code -w} closing its section and opening the next one's, so the output reads as three probes
     * in turn would print it. {@code --stderr -} keeps an error message inside its own transfer's section.
     */
    @Override
    public String shell() {
        String base = address.replaceAll("/+$", "") + "/v1/sys/";
        StringBuilder shell = new StringBuilder("if command -v curl >/dev/null 2>&1; then\n")
                .append("printf '@@vc-role-endpoint %s\\n' ").append(ENDPOINTS.get(0)).append("; curl --stderr -");
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            String next = i + 1 < ENDPOINTS.size() ? "@@vc-role-endpoint " + ENDPOINTS.get(i + 1) + "\\n" : "";
            shell.append(i == 0 ? "" : " --next").append(" -sS --noproxy '*' --max-time ").append(PROBE_SECONDS)
                    .append(caCert.map(ca -> " --cacert " + quote(ca)).orElse(""))
                    .append(" -w '\\n@@vc-role-http %{http_code}\\n").append(next).append("' ").append(quote(base + ENDPOINTS.get(i)));
        }
        return shell.append("\nelse echo ").append(NO_CURL).append("; fi").toString();
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(ENDPOINTS.size() * PROBE_SECONDS + 5L);
    }

    @Override
    public Reading parse(CommandOutput output) {
        return parse(output.output());
    }

    static Reading parse(String output) {
        if (output.contains(NO_CURL)) {
            return unread(false, "cannot read the node's role: the host has no curl");
        }
        Map<String, NodeAnswer> answers = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(output);
        boolean anyAnswer = false;
        while (section.find()) {
            int status = Integer.parseInt(section.group(3));
            anyAnswer |= status != 0;
            answers.put(section.group(1), new NodeAnswer(status, section.group(2)));
        }
        if (answers.size() != ENDPOINTS.size()) {
            return unread(false, "cannot read the node's role: its probe printed something else");
        }
        Optional<NodeAnswer> sealStatus = Optional.of(answers.get("seal-status"));
        if (!anyAnswer) {
            return new Reading(Optional.empty(), Optional.empty(), true, "down: the node does not answer on its API address", sealStatus);
        }
        Optional<Boolean> haEnabled = haEnabled(answers.get("leader"));
        try {
            NodeRole role = NodeRole.read(answers.get("seal-status"), answers.get("health"), answers.get("leader"));
            return new Reading(Optional.of(role), haEnabled, false, "", sealStatus);
        } catch (UnreadableNodeStatus e) {
            return new Reading(Optional.empty(), haEnabled, false, "cannot read the node's role: " + e.getMessage(), sealStatus);
        }
    }

    private static Optional<Boolean> haEnabled(NodeAnswer leader) {
        if (leader.status() != 200) {
            return Optional.empty();
        }
        return PlainJson.parse(leader.body()).filter(Map.class::isInstance).map(PlainJson::object)
                .map(body -> body.get("ha_enabled")).filter(Boolean.class::isInstance).map(Boolean.class::cast);
    }

    private static Reading unread(boolean down, String why) {
        return new Reading(Optional.empty(), Optional.empty(), down, why);
    }
}
