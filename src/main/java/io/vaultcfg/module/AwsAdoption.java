package io.vaultcfg.module;

import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsReader;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.ExistingKeyAdoption;
import io.vaultcfg.aws.ExistingUserAdoption;
import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.FleetOwnership;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS resources a hand-made set-up already has, taken over before the plan is made (every host was read by
 * then, nothing is written here): the key the hosts' stanzas name when the alias does not exist yet
 * ({@link ExistingKeyAdoption}), and — when the play names no user or policy — the user that owns the access key the
 * hosts hold ({@link ExistingUserAdoption}). The plan then sees them as existing resources.
 *
 * @param first   changes made before the plan's own (the alias and tags of an adopted key)
 * @param last    changes made after them (hand-made policies replaced once vaultcfg's is attached)
 * @param notes   the plan's lines about what was taken over
 * @param replacedPolicies hand-made policies the plan replaces
 * @param planRegion       the play's region
 */
record AwsAdoption(AwsState state, SealResources names, List<AwsChange> first, List<AwsChange> last, List<String> notes,
                   List<String> replacedPolicies, String planRegion) {

    static AwsAdoption resolve(AwsClients clients, AwsState read, SealResources names, boolean derivedNames, String region,
                               List<FleetMember> members) {
        AwsState state = read;
        SealResources adoptedNames = names;
        List<String> notes = new ArrayList<>();
        List<AwsChange> last = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        AwsReader reader = new AwsReader(clients);
        Optional<ExistingKeyAdoption> key = ExistingKeyAdoption.find(read, names, region, members, reader, clients);
        Optional<String> keyArn = key.map(k -> k.key().arn()).or(() -> read.key().map(AwsState.Key::arn));
        // the seed's user name is the earlier vaultcfg default, kept by LegacyFleetUser: its policies are judged alike
        boolean legacy = names.userName().equals(DefaultSealNames.LEGACY_USER) && state.user().isPresent();
        if (derivedNames && (state.user().isEmpty() || legacy)) {
            List<String> held = members.stream().flatMap(member -> member.held().stream()).map(HeldCredentials::accessKeyId).toList();
            Optional<String> owner = legacy ? Optional.of(names.userName())
                    : held.isEmpty() ? Optional.empty()
                    : ExistingUserAdoption.owner(clients, held, names.tags().getOrDefault(FleetOwnership.TAG, ""));
            if (owner.isPresent()) {
                ExistingUserAdoption user = ExistingUserAdoption.of(clients, names, owner.get(), keyArn);
                adoptedNames = user.names();
                state = reader.read(adoptedNames);
                notes.addAll(user.notes());
                last.addAll(user.changes());
                replaced.addAll(user.replaced());
            }
        }
        List<AwsChange> first = new ArrayList<>();
        if (key.isPresent()) {
            state = key.get().applyTo(state);
            first.addAll(key.get().changes());
            notes.addAll(0, key.get().notes());
        }
        return new AwsAdoption(state, adoptedNames, List.copyOf(first), List.copyOf(last), List.copyOf(notes), List.copyOf(replaced),
                region);
    }

    /**
     * The plan with the adoption's changes around its own and its notes (the planner's notes on replaced policies
     * dropped), or stopped when a host's seal set-up is refused against the planned key: before any change.
     */
    AwsPlan around(AwsPlan plan, Optional<FleetSealReadings> readings, List<ControllerAction.FleetHost> fleet, Redactor redactor) {
        Optional<String> refused = readings.flatMap(r -> r.refusal(fleet, plan.state(), plan.names(), planRegion, redactor));
        if (refused.isPresent()) { // the hosts' own set-up first: the reason to fix before any other
            return new AwsPlan(plan.state(), plan.names(), List.of(), withNotes(plan.notes()), refused, Optional.empty());
        }
        List<String> adopted = readings.map(r -> r.adopted(fleet, plan.state(), plan.names(), planRegion, redactor)).orElse(List.of());
        if (plan.stop().isPresent()) {
            return new AwsPlan(plan.state(), plan.names(), List.of(), withNotes(plan.notes()), plan.stop(), plan.reuse());
        }
        List<AwsChange> changes = new ArrayList<>(first);
        changes.addAll(plan.changes());
        changes.addAll(last);
        List<String> allNotes = new ArrayList<>(withNotes(plan.notes()));
        allNotes.addAll(adopted);
        return new AwsPlan(plan.state(), plan.names(), List.copyOf(changes), List.copyOf(allNotes), plan.stop(), plan.reuse());
    }

    private List<String> withNotes(List<String> planned) {
        List<String> all = new ArrayList<>(notes);
        planned.stream().filter(note -> replacedPolicies.stream().noneMatch(note::contains)).forEach(all::add);
        return List.copyOf(all);
    }
}
