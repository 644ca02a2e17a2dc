package io.vaultcfg.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A program call rendered for {@code sh}: the program, its options, then {@code --} and the operands,
 * so that no operand (a unit name, an owner, a path) can ever be read as an option.
 */
public record Command(String program, List<String> options, List<String> operands) {

    public Command {
        options = List.copyOf(options);
        operands = List.copyOf(operands);
    }

    /** The program and the words before {@code --}: subcommands and options, e.g. {@code of("systemctl", "restart")}. */
    public static Command of(String program, String... options) {
        return new Command(program, List.of(options), List.of());
    }

    public Command operands(String... more) {
        List<String> all = new ArrayList<>(operands);
        all.addAll(List.of(more));
        return new Command(program, options, all);
    }

    public String render() {
        StringBuilder shell = new StringBuilder(ShellQuote.commandWord(program));
        options.forEach(option -> shell.append(' ').append(ShellQuote.quote(option)));
        if (!operands.isEmpty()) {
            shell.append(" --");
            operands.forEach(operand -> shell.append(' ').append(ShellQuote.quote(operand)));
        }
        return shell.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
