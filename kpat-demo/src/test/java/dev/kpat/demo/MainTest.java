package dev.kpat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void everySubcommandHasHelp() {
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            int code = Main.commandLine().setOut(new PrintWriter(out)).execute(sub, "--help");
            assertThat(code).isZero();
            assertThat(out.toString()).contains("Usage: kpat-demo " + sub);
        }
        assertThat(Main.commandLine().getSubcommands()).containsKeys("demo", "local-cluster");
    }

    @Test
    void badFlagValuesAreNamed() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("demo", "--max-lifetime", "a year");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("'a year' is not a duration");
    }
}
