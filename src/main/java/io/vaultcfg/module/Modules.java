package io.vaultcfg.module;

import io.vaultcfg.playbook.ModuleCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The modules vaultcfg knows; a new module is one class plus one line here. */
public final class Modules implements ModuleCatalog {
    private final Map<String, Module> byName = new LinkedHashMap<>();

    public Modules(List<Module> modules) {
        modules.forEach(module -> byName.put(module.name(), module));
    }

    public static Modules builtin() {
        return new Modules(List.of(
                new TemplateModule(),
                new FileModule(),
                new SystemdModule(),
                new CommandModule(),
                new VaultStatusModule(),
                new MetaModule(),
                new AwsAutoUnsealModule(),
                new AwskmsSealModule(),
                new AuditFileModule(),
                new AuditVaultModule(),
                new AuditAwsModule(),
                new AuditServiceConfigModule()));
    }

    public Module get(String name) {
        Module module = byName.get(name);
        if (module == null) {
            throw new IllegalArgumentException("unknown module " + name);
        }
        return module;
    }

    @Override
    public Set<String> moduleNames() {
        return byName.keySet();
    }

    @Override
    public Set<String> argumentsOf(String module) {
        return get(module).arguments();
    }
}
