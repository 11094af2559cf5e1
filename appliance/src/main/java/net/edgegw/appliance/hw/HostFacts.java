package net.edgegw.appliance.hw;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the running machine is, read from the kernel: DMI strings ({@code /sys/class/dmi/id}), device-tree
 * compatible strings ({@code /proc/device-tree/compatible}), CPU features ({@code /proc/cpuinfo}: x86 "flags",
 * ARM "Features") and the physical NICs ({@code /sys/class/net/<if>/device}), in PCI-address order.
 * The roots are parameters so tests read a directory tree made like the kernel's.
 */
public record HostFacts(String arch, Map<String, String> dmi, List<String> deviceTreeCompatible,
                        Set<String> cpuFeatures, List<Nic> nics) {

    /** A physical NIC: kernel name, MAC (lower case), PCI address ("" when not on PCI, e.g. an SoC MAC). */
    public record Nic(String name, String mac, String pci) {}

    public static HostFacts read() throws IOException {
        return read(Path.of("/sys"), Path.of("/proc"), System.getProperty("os.arch"));
    }

    public static HostFacts read(Path sys, Path proc, String osArch) throws IOException {
        String arch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
        Map<String, String> dmi = new LinkedHashMap<>();
        for (String field : ProfileParser.DMI_FIELDS.stream().sorted().toList()) {
            String v = readTrimmed(sys.resolve("class/dmi/id").resolve(field));
            if (!v.isEmpty()) {
                dmi.put(field, v);
            }
        }
        List<String> dt = new ArrayList<>();
        Path compatible = proc.resolve("device-tree/compatible");
        if (Files.isReadable(compatible)) {
            for (String s : new String(Files.readAllBytes(compatible), StandardCharsets.US_ASCII).split("\0")) {
                if (!s.isEmpty()) {
                    dt.add(s);
                }
            }
        }
        Set<String> features = new LinkedHashSet<>();
        Path cpuinfo = proc.resolve("cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                String key = colon < 0 ? "" : line.substring(0, colon).trim();
                if (key.equals("flags") || key.equals("Features")) {
                    features.addAll(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                    break; // every core reports the same set
                }
            }
        }
        return new HostFacts(arch, dmi, dt, features, nics(sys.resolve("class/net")));
    }

    private static List<Nic> nics(Path classNet) throws IOException {
        List<Nic> out = new ArrayList<>();
        if (!Files.isDirectory(classNet)) {
            return out;
        }
        try (Stream<Path> s = Files.list(classNet)) {
            for (Path p : s.sorted().toList()) {
                Path device = p.resolve("device");
                if (!Files.exists(device)) {
                    continue; // virtual: lo, tun, veth, bridges
                }
                String pci = "";
                Path target = device.toRealPath();
                String last = target.getFileName().toString();
                if (last.matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]")) {
                    pci = last;
                } else if (target.getParent() != null
                        && target.getParent().getFileName().toString().matches("[0-9a-f]{4}:.*")) {
                    pci = target.getParent().getFileName().toString(); // virtio: .../0000:00:02.0/virtio0
                }
                out.add(new Nic(p.getFileName().toString(), readTrimmed(p.resolve("address")).toLowerCase(
                        Locale.ROOT), pci));
            }
        }
        out.sort(Comparator.comparing((Nic n) -> n.pci().isEmpty() ? "~" : n.pci()).thenComparing(Nic::name));
        return out;
    }

    private static String readTrimmed(Path p) {
        try {
            return Files.isReadable(p) ? Files.readString(p, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return ""; // some DMI files are root-only or absent on a given board: treated as not present
        }
    }
}
