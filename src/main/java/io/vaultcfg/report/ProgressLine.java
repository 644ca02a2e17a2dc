package io.vaultcfg.report;

import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One status line at the bottom of a terminal during a run: the play's hosts done out of its total, the
 * failures so far (failed or unreachable hosts, a failed controller) and the time since the run started.
 * It is rewritten in place ({@code \r}) as each result arrives, and wraps the console's own listener: the line
 * is wiped before the console prints anything and drawn again after, under one lock, so the two never
 * interleave. Only for a terminal: the command line decides, and gives none when the output is a file or pipe.
 * Kept shorter than {@link #WIDTH} columns so that {@code \r} always reaches its start.
 */
public final class ProgressLine implements RunListener, AutoCloseable {
    static final int WIDTH = 79;

    private final RunListener console;
    private final PrintStream terminal;
    private final Supplier<Duration> elapsed;
    private String play = "";
    private int total;
    private int done;
    private int failures;
    private int shown;

    /**
     * @param console  the listener that prints to the same terminal (its output is never cut by the line)
     * @param elapsed  time since the run started
     */
    public ProgressLine(RunListener console, PrintStream terminal, Supplier<Duration> elapsed) {
        this.console = console;
        this.terminal = terminal;
        this.elapsed = elapsed;
    }

    /** Measured from now. */
    public static ProgressLine startingNow(RunListener console, PrintStream terminal) {
        long start = System.nanoTime();
        return new ProgressLine(console, terminal, () -> Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public synchronized void on(RunEvent event) {
        wipe();
        console.on(event);
        if (event instanceof RunEvent.PlayStarted started) {
            play = started.play().replaceAll("\\p{Cntrl}", " ");
            total = started.hosts().size();
            done = 0;
        } else if (event instanceof RunEvent.HostFinished finished) {
            done++;
            failures += finished.result().failed() || finished.result().unreachable() ? 1 : 0;
        } else if (event instanceof RunEvent.ControllerFinished finished) {
            failures += finished.result().failed() ? 1 : 0;
        } else if (event instanceof RunEvent.RunFinished) {
            return;
        }
        draw();
    }

    /** Wipes the line, e.g. before an error is printed after a run stopped. */
    @Override
    public synchronized void close() {
        wipe();
    }

    private void draw() {
        String counts = " " + done + "/" + total + (total == 1 ? " host" : " hosts") + ", " + failures
                + (failures == 1 ? " failure" : " failures") + ", " + clock(elapsed.get());
        int room = WIDTH - counts.length() - 3;
        String name = play.length() <= room ? play : play.substring(0, Math.max(0, room - 3)) + "...";
        String line = "[" + name + "]" + counts;
        terminal.print("\r" + line);
        terminal.flush();
        shown = line.length();
    }

    private void wipe() {
        if (shown > 0) {
            terminal.print("\r" + " ".repeat(shown) + "\r");
            terminal.flush();
            shown = 0;
        }
    }

    static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
