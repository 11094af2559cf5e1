package net.edgegw.appliance.config;

import java.util.List;

/**
 * What an operation on the configuration gave (a commit, an import, a certificate issued): a value, or every
 * problem that stopped it, each with its field (and then nothing was changed).
 */
public record Outcome<T>(T value, List<Problem> problems) {

    public Outcome {
        problems = List.copyOf(problems);
    }

    public static <T> Outcome<T> of(T value) {
        return new Outcome<>(value, List.of());
    }

    public static <T> Outcome<T> rejected(List<Problem> problems) {
        return new Outcome<>(null, problems);
    }

    public static <T> Outcome<T> rejected(String field, String message) {
        return new Outcome<>(null, List.of(new Problem(field, message)));
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
