package dev.kpat.lifecycle;

import java.util.List;

/** One named rule of spec validation; a chain of them makes up {@link SpecValidator}. */
@FunctionalInterface
public interface SpecCheck {
    /** The violations of this rule; empty when the spec keeps it. */
    List<Violation> check(SpecInput input);
}
