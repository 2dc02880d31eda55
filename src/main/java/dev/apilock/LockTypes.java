package dev.apilock;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lock types an application declares, by name, for {@link ApiLocked}: the built-in
 * {@link LockType#CONFIGDOCS_UPDATE} and those given. Immutable and thread-safe.
 */
public final class LockTypes {

    private final Map<String, LockType> byName;

    private LockTypes(Map<String, LockType> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * {@link LockType#CONFIGDOCS_UPDATE} and {@code types}; a declared type replaces the built-in one
     * of the same name.
     *
     * @throws ApiLockSetupException two declarations of one name that differ
     */
    public static LockTypes of(Collection<LockType> types) {
        Map<String, LockType> byName = new LinkedHashMap<>();
        byName.put(LockType.CONFIGDOCS_UPDATE.name(), LockType.CONFIGDOCS_UPDATE);
        Map<String, LockType> declared = new LinkedHashMap<>();
        for (LockType type : types) {
            if (type == null) {
                throw new ApiLockSetupException("A declared lock type must not be null");
            }
            LockType earlier = declared.putIfAbsent(type.name(), type);
            if (earlier != null && !earlier.equals(type)) {
                throw new ApiLockSetupException("Lock type " + type.name() + " is declared twice, differently: "
                        + earlier + " and " + type);
            }
        }
        byName.putAll(declared);
        return new LockTypes(byName);
    }

    /** The declared type of {@code name}, if any. */
    public Optional<LockType> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The declared type of {@code name}.
     *
     * @param usedBy where the name was found, for the message, e.g. {@code "@ApiLocked on Service.update"}
     * @throws ApiLockSetupException no type of that name is declared
     */
    public LockType require(String name, String usedBy) {
        LockType type = byName.get(name);
        if (type == null) {
            throw new ApiLockSetupException("Unknown lock type '" + Texts.abbreviate(String.valueOf(name)) + "' in "
                    + usedBy + ": declare it (e.g. apilock.types." + name + ".expires=60s, or a LockType bean);"
                    + " declared are " + byName.keySet());
        }
        return type;
    }

    /** Every declared type, the built-in one first. */
    public Collection<LockType> all() {
        return byName.values();
    }
}
