package io.vaultcfg.plan;

import java.util.Map;

/** What applying a controller plan produced: the variables the hosts are then planned with, all known. */
public interface ControllerApplied {
    Map<String, Object> exports();
}
