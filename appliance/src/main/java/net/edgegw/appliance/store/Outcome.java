package net.edgegw.appliance.store;

import java.util.List;
import net.edgegw.appliance.config.Problem;

/**
 * What a store operation gave: a value, or every problem that stopped it (and then nothing was changed).
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
