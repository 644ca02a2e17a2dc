package io.vaultcfg.render;

import io.vaultcfg.plan.Unknown;

/** How a value only applying can produce is shown wherever a plan is rendered to text: as Terraform shows it. */
public final class UnknownText {
    public static final String TEXT = "(known after apply)";

    private UnknownText() {
    }

    /** The value as text; an {@link Unknown} as {@link #TEXT}. */
    public static String of(Object value) {
        return value instanceof Unknown ? TEXT : String.valueOf(value);
    }
}
