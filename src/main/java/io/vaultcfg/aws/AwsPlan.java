package io.vaultcfg.aws;

import java.util.List;
import java.util.Optional;

/**
 * Every AWS write a run will make, computed from reads only. {@code stop} means the run must end
 * before anything changes, anywhere.
 */
public record AwsPlan(
        AwsState state,
        SealResources names,
        List<AwsChange> changes,
        List<String> notes,
        Optional<String> stop,
        Optional<HeldCredentials> reuse) {

    public Optional<String> keyId() {
        return state.key().map(AwsState.Key::keyId);
    }

    public Optional<String> keyArn() {
        return state.key().map(AwsState.Key::arn);
    }
}
