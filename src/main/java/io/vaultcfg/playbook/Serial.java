package io.vaultcfg.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's {@code serial}: batch sizes as counts or percentages; the last one repeats.
 * Empty means all hosts in one batch.
 */
public record Serial(List<String> sizes) {
    public static final Serial ALL = new Serial(List.of());

    public List<List<Integer>> batches(int hostCount) {
        List<List<Integer>> batches = new ArrayList<>();
        int next = 0;
        int step = 0;
        while (next < hostCount) {
            int size = sizes.isEmpty() ? hostCount : resolve(sizes.get(Math.min(step, sizes.size() - 1)), hostCount);
            List<Integer> batch = new ArrayList<>();
            for (int i = 0; i < size && next < hostCount; i++) {
                batch.add(next++);
            }
            batches.add(batch);
            step++;
        }
        return batches;
    }

    private static int resolve(String size, int hostCount) {
        if (size.endsWith("%")) {
            int percent = Integer.parseInt(size.substring(0, size.length() - 1).trim());
            return Math.max(1, hostCount * percent / 100);
        }
        return Math.max(1, Integer.parseInt(size.trim()));
    }
}
