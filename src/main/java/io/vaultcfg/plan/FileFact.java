package io.vaultcfg.plan;

/** Type, mode, owner, group and (when {@code content}) the content of one path; never follows a link. */
public record FileFact(String path, boolean content) implements Fact<FileState> {
}
