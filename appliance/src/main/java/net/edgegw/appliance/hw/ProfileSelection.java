package net.edgegw.appliance.hw;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The profile chosen for a machine, what it finds missing and which NIC gets which role name: the result of
 * {@link #select}. The admin panel shows {@link #profile()}'s name and {@link #warnings()}.
 *
 * @param missingFeatures CPU features the profile expects that this CPU does not report
 * @param interfaceNames  kernel NIC name to role name (mgmt0, wan0, lan0, lan1...), in rule order
 * @param unassigned      NIC rules no NIC satisfied, as "role selector=pattern"
 */
public record ProfileSelection(HwProfile profile, List<String> missingFeatures, Map<String, String> interfaceNames,
                               List<String> unassigned) {

    /** The highest-priority profile for this machine's architecture that matches it; empty if none does. */
    public static Optional<ProfileSelection> select(List<HwProfile> profiles, HostFacts host) {
        return profiles.stream()
                .filter(p -> p.arch().unameName().equals(host.arch()) && matches(p.match(), host))
                .max(Comparator.comparingInt((HwProfile p) -> p.match().priority())
                        .thenComparing(HwProfile::name, Comparator.reverseOrder()))
                .map(p -> assign(p, host));
    }

    static boolean matches(HwProfile.Match m, HostFacts host) {
        if (m.fallback()) {
            return true;
        }
        if (!m.deviceTreeCompatible().isEmpty()) {
            return m.deviceTreeCompatible().stream().anyMatch(host.deviceTreeCompatible()::contains);
        }
        return !m.dmi().isEmpty() && m.dmi().entrySet().stream()
                .allMatch(e -> glob(e.getValue(), host.dmi().getOrDefault(e.getKey(), "")));
    }

    private static ProfileSelection assign(HwProfile p, HostFacts host) {
        List<String> missing = p.expectedCpuFeatures().stream().filter(f -> !host.cpuFeatures().contains(f)).toList();
        Map<String, String> names = new LinkedHashMap<>();
        List<String> unassigned = new ArrayList<>();
        Map<HwProfile.Role, Integer> next = new LinkedHashMap<>();
        for (HwProfile.NicRule rule : p.nics()) {
            Optional<HostFacts.Nic> nic = host.nics().stream()
                    .filter(n -> !names.containsKey(n.name()) && glob(rule.pattern(), switch (rule.selector()) {
                        case PCI -> n.pci();
                        case MAC -> n.mac();
                        case NAME -> n.name();
                    }))
                    .findFirst();
            String role = rule.role().name().toLowerCase(Locale.ROOT);
            if (nic.isEmpty()) {
                unassigned.add(role + " " + rule.selector().name().toLowerCase(Locale.ROOT) + "=" + rule.pattern());
                continue;
            }
            int n = next.merge(rule.role(), 1, Integer::sum) - 1;
            names.put(nic.get().name(), role + n);
        }
        return new ProfileSelection(p, missing, names, unassigned);
    }

    /** Exact match, or prefix match when the pattern ends in {@code *}. */
    static boolean glob(String pattern, String value) {
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(value);
    }

    /** One line per problem an operator should see: missing CPU features (with their cost) and missing NICs. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (String f : missingFeatures) {
            out.add(switch (f) {
                case "aes" -> "CPU has no AES instructions: ESP with AES-GCM/AES-CBC will be slow"
                        + " (prefer ChaCha20-Poly1305)";
                case "pclmulqdq", "pmull" -> "CPU has no carry-less multiply (" + f + "): AES-GCM/GMAC will be slow";
                case "avx2", "vaes", "vpclmulqdq" -> "CPU has no " + f + ": AES-GCM runs without the wide-vector"
                        + " path (slower, still hardware AES)";
                default -> "CPU lacks expected feature " + f;
            });
        }
        for (String u : unassigned) {
            out.add("no NIC found for " + u);
        }
        return out;
    }
}
