package dev.kpat.demo;

import dev.kpat.lifecycle.OperatorSettings;
import java.io.PrintStream;

/** The demo: placeholder until the lifecycle is wired end to end. */
public class Demo {
    private final OperatorSettings settings;
    private final PrintStream out;

    public Demo(OperatorSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public boolean run(boolean keepRunning) {
        out.println("demo not written yet");
        return false;
    }
}
