package dev.kpat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Hidden {@code __complete ARGS...}: what kubectl asks {@code kubectl_complete-pat} when the user presses TAB after
 * {@code kubectl pat}: the words typed so far, the last one (possibly empty) being completed. Answers as Cobra
 * does: one candidate per line, then {@code :4} (no file-name completion). The NAME of {@code status}, {@code rotate}
 * and {@code revoke} completes to the tokens in the namespace the typed options name ({@link TokenNames}).
 */
@Command(name = CompleteCommand.NAME, hidden = true)
class CompleteCommand implements Callable<Integer> {
    static final String NAME = "__complete";
    private static final int NO_FILE_COMPLETION = 4;

    @Parameters(arity = "0..*")
    List<String> words = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** The words are the user's command line: options and "--" included, none of them meant for this command. */
    static void takeEveryWord(CommandLine complete) {
        complete.setUnmatchedOptionsArePositionalParams(true).setEndOfOptionsDelimiter("\0");
    }

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(words);
        if (args.isEmpty()) {
            args.add("");
        }
        String partial = args.get(args.size() - 1);
        List<CharSequence> candidates = new ArrayList<>();
        AutoComplete.complete(spec.parent(), args.toArray(String[]::new), args.size() - 1, partial.length(),
                0, candidates);
        var out = spec.commandLine().getOut();
        // picocli gives what is left to type of each candidate: kubectl wants whole words
        candidates.stream().map(c -> partial + c).filter(c -> !c.startsWith("__")).distinct().forEach(out::println);
        TokenNames.complete(spec.parent(), args).forEach(out::println);
        out.println(":" + NO_FILE_COMPLETION);
        out.flush();
        return PatExit.OK;
    }
}
