package dev.kpat.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pat completion bash|zsh}: a completion script (picocli's) for the {@code kubectl-pat} command.
 * {@code kubectl pat <TAB>} itself is completed by kubectl through {@code kubectl_complete-pat} (see
 * {@link CompleteCommand}).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for kubectl-pat.",
            "bash: source <(kubectl pat completion bash); zsh: source <(kubectl pat completion zsh).",
            "For 'kubectl pat <TAB>', put kubectl_complete-pat (next to kubectl-pat) on PATH."})
class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            // picocli's script is bash; zsh runs it through its bash compatibility layer
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(AutoComplete.bash("kubectl-pat", spec.parent().commandLine()));
        out.flush();
        return PatExit.OK;
    }
}
