package net.edgegw.appliance.hw;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The profile commands the image uses:
 * <pre>
 *   validate DIR            check every DIR/*.yaml; print file: field: reason for each problem, exit 1 if any
 *   show DIR                which profile this machine would get, and its warnings
 *   apply DIR RUNDIR        pick the profile, rename its NICs to mgmt0/wan0/lan0..., write RUNDIR/hw-profile.properties
 *                           and RUNDIR/edgegw.env (heap, workers) for edgegw.service (edgegw-hwprofile.service, root)
 * </pre>
 */
public final class HwProfileCli {
    private HwProfileCli() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("validate")) {
            System.exit(validate(Path.of(args[1]), System.out, System.err) ? 0 : 1);
        } else if (args.length == 2 && args[0].equals("show")) {
            Optional<ProfileSelection> s = select(Path.of(args[1]), System.err);
            s.ifPresent(sel -> print(sel, System.out));
            System.exit(s.isPresent() ? 0 : 1);
        } else if (args.length == 3 && args[0].equals("apply")) {
            System.exit(apply(Path.of(args[1]), Path.of(args[2])) ? 0 : 1);
        } else {
            System.err.println("usage: HwProfileCli validate DIR | show DIR | apply DIR RUNDIR");
            System.exit(2);
        }
    }

    /** Checks every profile of {@code dir}; true when all are valid and there is at least one fallback. */
    public static boolean validate(Path dir, PrintStream out, PrintStream err) throws IOException {
        List<ProfileParser.Result> results = ProfileParser.parseDirectory(dir);
        List<ProfileProblem> problems = new ArrayList<>();
        results.forEach(r -> problems.addAll(r.problems()));
        if (results.isEmpty()) {
            problems.add(new ProfileProblem(dir.toString(), "(directory)", "no *.yaml profile"));
        }
        if (problems.isEmpty() && results.stream().noneMatch(r -> r.profile().match().fallback())) {
            problems.add(new ProfileProblem(dir.toString(), "match.fallback",
                    "no profile has fallback: true; an unknown box would boot without one"));
        }
        problems.forEach(p -> err.println("hw-profiles: " + p));
        if (problems.isEmpty()) {
            out.println("hw-profiles: " + results.size() + " profiles valid: "
                    + results.stream().map(r -> r.profile().name()).collect(Collectors.joining(", ")));
        }
        return problems.isEmpty();
    }

    private static Optional<ProfileSelection> select(Path dir, PrintStream err) throws IOException {
        List<HwProfile> profiles = new ArrayList<>();
        for (ProfileParser.Result r : ProfileParser.parseDirectory(dir)) {
            if (r.ok()) {
                profiles.add(r.profile());
            } else {
                r.problems().forEach(p -> err.println("hw-profiles: skipped: " + p));
            }
        }
        Optional<ProfileSelection> s = ProfileSelection.select(profiles, HostFacts.read());
        if (s.isEmpty()) {
            err.println("hw-profiles: no profile matches this machine");
        }
        return s;
    }

    private static void print(ProfileSelection s, PrintStream out) {
        out.println("hw-profile: " + s.profile().name() + " (" + s.profile().description() + ")");
        s.interfaceNames().forEach((from, to) -> out.println("hw-profile: nic " + from + " -> " + to));
        s.warnings().forEach(w -> out.println("hw-profile: WARNING: " + w));
    }

    private static boolean apply(Path dir, Path runDir) throws IOException, InterruptedException {
        Optional<ProfileSelection> s = select(dir, System.err);
        if (s.isEmpty()) {
            return false;
        }
        ProfileSelection sel = s.get();
        print(sel, System.out);
        Files.createDirectories(runDir);
        for (Map.Entry<String, String> e : sel.interfaceNames().entrySet()) {
            rename(e.getKey(), e.getValue());
        }
        ActiveProfile.of(sel).write(runDir);
        HwProfile p = sel.profile();
        String env = "JAVA_OPTS=-Xmx" + p.heap() + " -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError\n"
                + "EDGEGW_HW_PROFILE=" + p.name() + "\n"
                + "EDGEGW_DATAPLANE=" + p.backend().name().toLowerCase(java.util.Locale.ROOT) + "\n"
                + "EDGEGW_WORKERS=" + (p.workers() == 0 ? "auto" : Integer.toString(p.workers())) + "\n"
                + "EDGEGW_PINNING=" + p.pinning().stream().map(String::valueOf).collect(Collectors.joining(","))
                + "\n"
                + "EDGEGW_DPDK_ARGS=\"" + p.dpdkPmdArgs().replace("\"", "") + "\"\n"
                + "EDGEGW_WATCHDOG=" + p.watchdog() + "\n";
        Files.writeString(runDir.resolve("edgegw.env"), env, StandardCharsets.UTF_8);
        return true;
    }

    /** Renames a NIC to its role name with iproute2 (the link must be down; nothing has brought it up yet). */
    private static void rename(String from, String to) throws IOException, InterruptedException {
        if (from.equals(to)) {
            return;
        }
        for (List<String> cmd : List.of(List.of("ip", "link", "set", "dev", from, "down"),
                List.of("ip", "link", "set", "dev", from, "name", to))) {
            Process pr = new ProcessBuilder(cmd).inheritIO().start();
            if (!pr.waitFor(10, TimeUnit.SECONDS) || pr.exitValue() != 0) {
                pr.destroyForcibly();
                System.err.println("hw-profile: could not rename " + from + " to " + to + " (" + cmd + ")");
                return;
            }
        }
    }
}
