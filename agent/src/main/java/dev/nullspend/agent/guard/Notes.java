package dev.nullspend.agent.guard;

import dev.nullspend.agent.log.AgentLog;

import java.util.ArrayList;
import java.util.List;

/**
 * Log lines decided while the guard's lock is held, printed after it is released, so that a
 * slow stderr never holds up other threads' admissions.
 */
final class Notes {
    private record Line(boolean warning, String text) {
    }

    private List<Line> lines;

    void info(String text) {
        add(new Line(false, text));
    }

    void warn(String text) {
        add(new Line(true, text));
    }

    private void add(Line line) {
        if (lines == null) {
            lines = new ArrayList<>(2);
        }
        lines.add(line);
    }

    /** Prints the collected lines, in order. */
    void print() {
        if (lines == null) {
            return;
        }
        for (Line line : lines) {
            if (line.warning()) {
                AgentLog.warn(line.text());
            } else {
                AgentLog.info(line.text());
            }
        }
    }
}
