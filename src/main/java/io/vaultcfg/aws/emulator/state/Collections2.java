package io.vaultcfg.aws.emulator.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ordered, unmodifiable copies for the collections held by state records (Map.copyOf would lose order). */
final class Collections2 {
    private Collections2() {
    }

    static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> listCopy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <K, V> Map<K, V> with(Map<K, V> map, K key, V value) {
        Map<K, V> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }

    static <K, V> Map<K, V> without(Map<K, V> map, K key) {
        Map<K, V> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return Collections.unmodifiableMap(copy);
    }

    static <T> List<T> with(List<T> list, T value) {
        List<T> copy = new ArrayList<>(list);
        if (!copy.contains(value)) {
            copy.add(value);
        }
        return Collections.unmodifiableList(copy);
    }

    static <T> List<T> without(List<T> list, T value) {
        List<T> copy = new ArrayList<>(list);
        copy.remove(value);
        return Collections.unmodifiableList(copy);
    }
}
