package net.edgegw.appliance.hw;

import java.util.List;
import java.util.Map;

/**
 * One hardware model's profile, as read from {@code hw-profiles/<name>.yaml} and checked by {@link ProfileParser}:
 * how to recognise the box, which NIC plays which role, what the CPU should offer, and how to run the data plane
 * on it. The format is documented in {@code hw-profiles/README.md} and {@code hw-profiles/schema.json}.
 *
 * @param workers data-plane worker threads; 0 means one per online core ("auto")
 * @param pinning the core of each worker, empty when the scheduler decides
 * @param dpdkPmdArgs the DPDK EAL/PMD arguments, empty for the TUN backend
 * @param heap the JVM heap as {@code -Xmx} takes it (e.g. "512m")
 * @param watchdog the watchdog device, or "none"
 * @param console the serial console device (e.g. "ttyS0"), or "none"
 */
public record HwProfile(
        String name,
        String description,
        Arch arch,
        Match match,
        List<NicRule> nics,
        List<String> expectedCpuFeatures,
        Backend backend,
        int workers,
        List<Integer> pinning,
        String dpdkPmdArgs,
        String heap,
        String watchdog,
        String console,
        int consoleBaud) {

    public HwProfile {
        nics = List.copyOf(nics);
        expectedCpuFeatures = List.copyOf(expectedCpuFeatures);
        pinning = List.copyOf(pinning);
    }

    /** The architectures a profile can describe, named as {@code uname -m} prints them. */
    public enum Arch { X86_64, AARCH64;
        public String unameName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The data-plane packet I/O. */
    public enum Backend { TUN, DPDK }

    /** The role a NIC plays; each becomes an interface name {@code <role><n>} (mgmt0, wan0, lan0, lan1...). */
    public enum Role { WAN, LAN, MGMT }

    /** How a NIC is recognised: its PCI address, its MAC or its kernel name; values may end in {@code *}. */
    public enum Selector { PCI, MAC, NAME }

    /** One NIC rule: the first not yet assigned NIC (in PCI order) that the selector matches gets the role. */
    public record NicRule(Role role, Selector selector, String pattern) {}

    /**
     * When the profile applies: all given DMI fields match, or one device-tree compatible string is present, or
     * (fallback) always. Among matching profiles the highest priority wins.
     */
    public record Match(Map<String, String> dmi, List<String> deviceTreeCompatible, boolean fallback, int priority) {
        public Match {
            dmi = Map.copyOf(dmi);
            deviceTreeCompatible = List.copyOf(deviceTreeCompatible);
        }
    }
}
