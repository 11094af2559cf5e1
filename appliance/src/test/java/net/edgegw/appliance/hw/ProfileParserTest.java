package net.edgegw.appliance.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped profiles all pass; each broken profile under test resources hw/bad is rejected with its field. */
class ProfileParserTest {
    static final Path SHIPPED = Path.of("..", "hw-profiles");
    static final Path BAD = Path.of("src", "test", "resources", "hw", "bad");

    static Stream<Path> shipped() throws IOException {
        return Files.list(SHIPPED).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    static Stream<Path> broken() throws IOException {
        return Files.list(BAD).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("shipped")
    void everyShippedProfileIsValid(Path file) throws IOException {
        ProfileParser.Result r = ProfileParser.parse(file);
        assertEquals(List.of(), r.problems(), file.toString());
        assertEquals(file.getFileName().toString().replace(".yaml", ""), r.profile().name());
    }

    @Test
    void theShippedSetCoversTheRequiredModelsAndHasAFallback() throws IOException {
        List<HwProfile> all = ProfileParser.parseDirectory(SHIPPED).stream().map(ProfileParser.Result::profile)
                .toList();
        List<String> names = all.stream().map(HwProfile::name).toList();
        assertTrue(names.containsAll(List.of("qemu-virt", "generic-x86-64", "edge-celeron-4port", "arm64-rpi4")),
                names.toString());
        assertEquals(1, all.stream().filter(p -> p.match().fallback()).count());
        assertTrue(all.stream().anyMatch(p -> p.arch() == HwProfile.Arch.AARCH64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertTrue(HwProfileCli.validate(SHIPPED, new PrintStream(out), new PrintStream(err)), err.toString());
        assertTrue(out.toString().contains(all.size() + " profiles valid"));
    }

    /** Each file's first line says what must be reported: {@code # expect: <field> | <part of the reason>}. */
    @ParameterizedTest
    @MethodSource("broken")
    void brokenProfileIsRejectedWithFileFieldAndReason(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] expect = text.lines().findFirst().orElseThrow().replace("# expect: ", "").split(" \\| ");
        ProfileParser.Result r = ProfileParser.parse(file);
        assertFalse(r.ok(), file + " was accepted");
        assertNull(r.profile());
        String name = file.getFileName().toString();
        assertTrue(r.problems().stream().anyMatch(p -> p.file().equals(name) && p.field().equals(expect[0])
                        && p.reason().contains(expect[1])),
                "expected " + expect[0] + ": " + expect[1] + ", got " + r.problems());
    }

    @Test
    void validatorFailsADirectoryWithOneBrokenProfileAndNamesIt() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertFalse(HwProfileCli.validate(BAD, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        String report = err.toString();
        assertTrue(report.contains("hw-profiles: bad-heap.yaml: jvm.heap: must be a size"), report);
    }

    @Test
    void everyProblemOfAFileIsReportedNotJustTheFirst() {
        ProfileParser.Result r = ProfileParser.parse("x.yaml", """
                schema: edgegw-hw-profile/1
                name: x
                arch: x86_64
                match: {fallback: true}
                nics: [{role: mgmt, mac: "zz"}]
                dataplane: {backend: tun, workers: 0}
                jvm: {heap: 1t}
                watchdog: /dev/null
                console: {device: ttyS0, baud: 1234}
                """);
        List<String> fields = r.problems().stream().map(ProfileProblem::field).toList();
        assertEquals(List.of("nics[0].mac", "dataplane.workers", "jvm.heap", "watchdog", "console.baud"), fields);
    }
}
