package net.edgegw.appliance.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matching the shipped profiles against sysfs/procfs trees made like the kernel's. */
class ProfileSelectionTest {
    @TempDir
    Path tmp;

    private List<HwProfile> shipped() throws IOException {
        return ProfileParser.parseDirectory(ProfileParserTest.SHIPPED).stream().map(ProfileParser.Result::profile)
                .toList();
    }

    private void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    /** A NIC: /sys/class/net/NAME/{address, device -> ../../devices/pci0000:00/PCI[/virtioN]}. */
    private void nic(Path sys, String name, String mac, String pci, boolean virtio) throws IOException {
        Path dev = sys.resolve("devices/pci0000:00/" + pci + (virtio ? "/virtio" + name.hashCode() % 10 : ""));
        Files.createDirectories(dev);
        write(sys.resolve("class/net/" + name + "/address"), mac + "\n");
        Files.createSymbolicLink(sys.resolve("class/net/" + name + "/device"), dev);
    }

    @Test
    void qemuMachinePicksQemuVirtNamesItsNicsAndWarnsAboutMissingAes() throws IOException {
        Path sys = tmp.resolve("sys");
        Path proc = tmp.resolve("proc");
        write(sys.resolve("class/dmi/id/sys_vendor"), "QEMU\n");
        write(sys.resolve("class/dmi/id/product_name"), "Standard PC (Q35 + ICH9, 2009)\n");
        write(proc.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu sse2 pclmulqdq avx2\n\nprocessor\t: 1\n");
        nic(sys, "enp0s3", "52:54:00:12:34:57", "0000:00:03.0", true);
        nic(sys, "enp0s2", "52:54:00:12:34:56", "0000:00:02.0", true);
        Files.createDirectories(sys.resolve("class/net/lo"));
        HostFacts host = HostFacts.read(sys, proc, "amd64");

        ProfileSelection s = ProfileSelection.select(shipped(), host).orElseThrow();

        assertEquals("qemu-virt", s.profile().name());
        assertEquals(Map.of("enp0s2", "mgmt0", "enp0s3", "wan0"), s.interfaceNames());
        assertEquals(List.of("aes"), s.missingFeatures());
        assertTrue(s.warnings().get(0).contains("no AES instructions: ESP with AES-GCM/AES-CBC will be slow"));
    }

    @Test
    void unknownX86BoxFallsBackToGenericAndTakesNicsInPciOrder() throws IOException {
        Path sys = tmp.resolve("sys");
        Path proc = tmp.resolve("proc");
        write(sys.resolve("class/dmi/id/sys_vendor"), "Some Vendor\n");
        write(proc.resolve("cpuinfo"), "flags\t: aes pclmulqdq avx2\n");
        nic(sys, "eno2", "00:11:22:33:44:02", "0000:03:00.0", false);
        nic(sys, "eno1", "00:11:22:33:44:01", "0000:02:00.0", false);
        ProfileSelection s = ProfileSelection.select(shipped(), HostFacts.read(sys, proc, "amd64")).orElseThrow();
        assertEquals("generic-x86-64", s.profile().name());
        assertEquals(Map.of("eno1", "mgmt0", "eno2", "wan0"), s.interfaceNames());
        assertEquals(List.of("no NIC found for lan name=e*"), s.warnings());
    }

    @Test
    void raspberryPiMatchesByDeviceTreeAndWarnsAboutMissingCryptoExtensions() throws IOException {
        Path sys = tmp.resolve("sys");
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("device-tree"));
        Files.write(proc.resolve("device-tree/compatible"),
                "raspberrypi,4-model-b\0brcm,bcm2711\0".getBytes(StandardCharsets.US_ASCII));
        write(proc.resolve("cpuinfo"), "processor\t: 0\nFeatures\t: fp asimd evtstrm crc32 cpuid\n");
        Files.createDirectories(sys.resolve("devices/platform/scb/fd580000.ethernet"));
        write(sys.resolve("class/net/end0/address"), "DC:A6:32:00:00:01\n");
        Files.createSymbolicLink(sys.resolve("class/net/end0/device"),
                sys.resolve("devices/platform/scb/fd580000.ethernet"));
        HostFacts host = HostFacts.read(sys, proc, "aarch64");
        assertEquals("dc:a6:32:00:00:01", host.nics().get(0).mac());
        ProfileSelection s = ProfileSelection.select(shipped(), host).orElseThrow();
        assertEquals("arm64-rpi4", s.profile().name());
        assertEquals(List.of("aes", "pmull", "sha2"), s.missingFeatures());
        assertEquals(Map.of("end0", "mgmt0"), s.interfaceNames());
    }

    @Test
    void activeProfileRoundTripsThroughTheRunFile() throws IOException {
        HwProfile qemu = shipped().stream().filter(p -> p.name().equals("qemu-virt")).findFirst().orElseThrow();
        ProfileSelection s = new ProfileSelection(qemu, List.of("aes"), Map.of(), List.of());
        ActiveProfile.of(s).write(tmp);
        ActiveProfile back = ActiveProfile.read(tmp).orElseThrow();
        assertEquals("qemu-virt", back.profile());
        assertEquals(List.of("aes"), back.missingFeatures());
        assertEquals(s.warnings(), back.warnings());
        assertEquals("dmi sys_vendor=QEMU", back.matchedBy(), "the panel shows how the profile matched");
        assertEquals(List.of("aes", "pclmulqdq"), back.expectedFeatures());
        assertEquals(qemu.watchdog(), back.watchdog());
        assertEquals(ActiveProfile.of(s), back, "every field survives the run file");
        assertTrue(ActiveProfile.read(tmp.resolve("nowhere")).isEmpty());
    }
}
